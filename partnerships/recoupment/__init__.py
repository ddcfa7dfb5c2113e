"""What the umbrella recovers from a housing association: calculator.py (the figures, with the
rows behind them), services.py (ask for a statement, render, issue, pay), tasks.py (the PDF and
the monthly drafts), selectors.py (statements, and the money on the staff home page)."""
