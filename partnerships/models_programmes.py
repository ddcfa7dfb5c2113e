"""Strategic partnership programmes (local authorities, HAs and Homes England): models.

Imported by partnerships/models.py so Django finds them.
"""
