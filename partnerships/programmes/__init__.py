"""Strategic partnership programmes of local authorities, HAs and Homes England: members,
workshops and one-to-ones, commitments, MOUs and SPVs, exemplar sites, lessons, and the
case-study PDF."""
