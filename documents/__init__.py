"""The papers of a CLT, a scheme, a collaboration agreement or a programme: uploaded, versioned
and found (issue 15). Each version keeps who uploaded it and when, its status (draft, signed,
superseded) and signed date; the files are kept in private storage and served only through a view
that checks access.

The app sits just above accounts: it knows no other app. The records papers belong to ("subjects")
are registered by the apps that own them (documents.subjects), each with the selector that finds
one for an access, so a paper is seen exactly by those who may see its subject (and an HA team
only the papers staff share with it)."""
