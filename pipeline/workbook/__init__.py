"""The workbook: what it holds (schema), how it is read (reader, values), made
(create), brought up to date (migrate) and filled from a Word plan (pta_import).

Stage 1 of a build is :func:`pipeline.workbook.reader.read_workbook`: the .xlsx file in,
located raw cells ('Feuille'!C12) out; nothing here knows the typed model's rules,
which live in :mod:`pipeline.validate`.
"""
