"""Files and processes, whatever the stage: what a run reads, writes and starts, made safe.

Outputs written atomically (``atomic``) and guarded as a set (``outputs``); inputs that are not
plain files refused (``plainfile``); hostile reports read under limits in a child process
(``limits``); worker processes and Ctrl-C (``processes``, ``interrupt``); text from data made safe for
a file name, a terminal or a cell (``safetext``, ``celltext``); lists longer than a worksheet
(``sheetrows``).  Nothing here knows a form.
"""
