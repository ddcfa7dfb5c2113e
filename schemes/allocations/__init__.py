"""Applicants for a scheme's homes (personal data: every view logged, subject-access export,
erasure and retention), their ranking under the CLT's agreed policy, and the nomination lists
issued to the HA (applicants.py; the files made by tasks.py)."""
