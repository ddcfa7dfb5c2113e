"""Viability appraisals of a scheme: versioned, one agreed at each gate (issue 16.1)."""
