"""Stage 1, the template: the locked workbook an agency fills in (``make-template``).

``layout`` places every part of a form's declaration in the workbook (the reader and the checks
find cells through it too); ``writer`` draws it with xlsxwriter; ``instructions`` writes the 填报说明
sheet; ``protect`` locks the workbook's structure; ``prior`` loads last year's data for the
``PRIOR_`` cells.
"""
