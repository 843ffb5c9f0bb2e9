"""The run's outputs: data files and the self-contained HTML report.

``html`` assembles report.html from the figures (``figures``: their names, one module each);
``rerender`` writes it again from a run folder (``themescope report``), ``export`` the
figures as PNG/SVG. This module imports nothing: it runs before each of those, and the run
folder's rules (``rundir``) read the figures' names from ``figures``.
"""
