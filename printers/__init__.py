"""Receipt printing on ESC/POS thermal printers (queue tickets and material checklists).

Reserved for the printing work: the ``[printer]`` section of kiosk.ini has no keys yet, and the
kiosk shows no tile that would need a printer until this package is filled in.
"""
