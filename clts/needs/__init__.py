"""Housing need: parish housing needs surveys, the need they found, and a scheme's proposed mix set
against it."""
