"""The employer portal: what an employer viewer may see of their consenting workers.

``snapshot`` builds the allowlisted view (also the data a PDF report is made from);
``views`` shows it read-only; ``readonly`` refuses any unsafe method from a viewer.
"""
