"""Troïka document pipeline: an Excel workbook in, official Word documents out.

Stages, one module each: reader (workbook -> located raw cells), validate (raw cells
-> typed model + report of problems), documents (model -> what to render, with which
context), render (template + context -> .docx bytes), writer (bytes -> build/).
build.build() runs them in that order.
"""
