"""Everything that touches build/: the writer (the only module that writes documents
to disk, atomically), the bookkeeping of what was built from what (registers under a
lock, fingerprints), Windows-valid file names and reproducible zip archives.
"""
