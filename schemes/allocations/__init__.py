"""Applicants for a scheme's homes (personal data: every view logged, subject-access export,
erasure and retention), their ranking under the CLT's agreed policy, and the nomination lists
issued to the HA: selectors.py, ranking.py, services.py; the files are made by tasks.py."""
