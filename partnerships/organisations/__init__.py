"""Who the umbrella works with: housing associations, adviser firms, the collaboration agreements
(fee basis, the stage a scheme goes ahead at) and the umbrella's staff roles with dated rates."""
