"""Troïka document pipeline: an Excel workbook in, official Word documents out.

Stages, one module each: reader (workbook -> located raw cells), validate (raw cells
-> typed model + report of problems), documents (model -> what to render, with which
context), render (template + context -> .docx bytes), writer (bytes -> build/).
build.build() runs them in that order.

Distribution is a separate stage after build (distribute, with pdf and mail): it reads
what the last build wrote and the workbook's mailing lists, and writes a dated package
(PDF copies, one zip and one .eml draft per list, a manifest) under build/diffusion/.
"""
