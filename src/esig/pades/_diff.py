"""esig's difference-analysis policy: pyHanko's default, with one reading of dangling references
(private).

pyHanko records, for every object a later revision writes, each path by which the signed
revision reaches that object number from its trailer, and the later revision must justify every
such path. DSS (PDFBox) signs LibreOffice hybrid PDFs keeping the trailer key
``/AdditionalStreams`` (LibreOffice's ODF source) while dropping the object it names: the
signed revision then holds a reference to an object it does not define, which is null (ISO
32000-1 7.3.10). When a later revision (DSS's LT/LTA update) gives that object number to its DSS
dictionary, pyHanko finds the trailer path unexplained and the signature fails.

:class:`DanglingTrailerPolicy` drops, before the analysis, the paths through a trailer key that
ISO 32000 does not define *to an object the signed revision does not define*. Such an object
then counts as new: the later revision still needs a rule that explains the object itself (a DSS
dictionary, a signature field...), as for any other new object. Paths to objects that exist in
the signed revision are kept, whatever the key: an update that also changes what a custom
trailer key names stays unexplained (pyHanko's ``form-update-ap-indirect-sneaky-trailer.pdf``).
During the analysis a reference no revision defines reads as null
(:data:`esig.pades._xrefcache.UNDEFINED_AS_NULL`). Everything else is pyHanko's
:data:`~pyhanko.sign.diff_analysis.DEFAULT_DIFF_POLICY`, unchanged.
"""

from __future__ import annotations

from typing import Any

from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, StandardDiffPolicy

from esig.pades._xrefcache import UNDEFINED_AS_NULL

__all__ = ["DIFF_POLICY", "STANDARD_TRAILER_KEYS", "DanglingTrailerPolicy"]

#: ISO 32000-2 7.5.5 (Table 15) and 7.5.8.4: the keys of a file trailer.
STANDARD_TRAILER_KEYS = frozenset(
    {"/Size", "/Prev", "/Root", "/Encrypt", "/Info", "/ID", "/XRefStm"}
)


def _through_custom_key(path: Any) -> bool:
    return bool(path.path) and path.path[0] not in STANDARD_TRAILER_KEYS


class DanglingTrailerPolicy(StandardDiffPolicy):
    """pyHanko's standard policy, blind to custom trailer keys' references to undefined objects."""

    def apply(self, old: Any, new: Any, field_mdp_spec: Any = None, doc_mdp: Any = None) -> Any:
        old._load_reverse_xref_cache()
        cache = old._indirect_object_access_cache
        if cache is not None and not getattr(old, "_esig_dangling_filtered", False):
            xrefs = old.reader.xrefs
            for ref, paths in list(cache.items()):
                if xrefs.get_historical_ref(ref, old.revision) is not None:
                    continue  # defined in the signed revision: every path counts
                kept = {p for p in paths if not _through_custom_key(p)}
                if kept:
                    cache[ref] = kept
                else:
                    del cache[ref]
            old._esig_dangling_filtered = True
        token = UNDEFINED_AS_NULL.set(True)
        try:
            return super().apply(old, new, field_mdp_spec=field_mdp_spec, doc_mdp=doc_mdp)
        finally:
            UNDEFINED_AS_NULL.reset(token)


def _policy() -> DanglingTrailerPolicy:
    d = DEFAULT_DIFF_POLICY
    return DanglingTrailerPolicy(
        global_rules=d.global_rules,
        form_rule=d.form_rule,
        reject_object_freeing=d.reject_object_freeing,
        ignore_orphaned_objects=d.ignore_orphaned_objects,
        ignore_identical_objects=d.ignore_identical_objects,
    )


DIFF_POLICY = _policy()
