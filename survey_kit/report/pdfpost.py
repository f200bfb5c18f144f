"""Finish a PDF printed by Chromium for PDF/UA-1 (the machine-checkable part): pikepdf.

Chromium (>= 131) prints a tagged PDF with the language of ``<html lang>``, an outline and the
``<img alt>`` of each chart as its figure's ``/Alt``. Three things it leaves out are added here:

* page furniture (the CSS page-margin boxes: footer, page numbers) is drawn by Chromium outside
  any marked-content sequence. The report printer prints the footer apart (a PDF of footers
  only) and lays each footer page over its page inside an ``/Artifact`` sequence (no parsing of
  the page content); for any other Chromium PDF every drawing outside marked content (text
  object, painted path, image) is wrapped in an ``/Artifact`` sequence. Either way a screen
  reader skips it and PDF/UA rule 7.1 holds;
* XMP metadata with ``pdfuaid:part = 1``, the title (``dc:title``) and the language
  (``dc:language``);
* ``/ViewerPreferences /DisplayDocTitle true`` (a viewer shows the title, not the file name).

Content inside a marked-content sequence (everything Chromium tagged) is never touched.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["finish_pdf", "xmp_packet"]

_PATH_OPS = frozenset({"m", "l", "c", "v", "y", "h", "re"})
_PAINT_OPS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})


def xmp_packet(title: str, lang: str, *, producer: str = "survey_kit", when: datetime | None = None) -> bytes:
    """An XMP packet declaring PDF/UA-1 with the document's title and language."""
    stamp = (when or datetime.now(UTC)).replace(microsecond=0).isoformat()
    t, lg, pr = escape(title), escape(lang), escape(producer)
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{lg}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{pr}</pdf:Producer>
   <xmp:CreatorTool>{pr}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xml.encode("utf-8")


def _op(ins) -> str:
    from survey_kit._extras import require

    pikepdf = require("pikepdf")

    if isinstance(ins, pikepdf.ContentStreamInlineImage):
        return "INLINE"
    return str(ins.operator)


def _mark_artifacts(pdf) -> int:
    """Wrap every drawing outside a marked-content sequence in ``/Artifact BMC ... EMC``.

    Returns the number of pages changed. Text objects (``BT``..``ET``), painted paths (not
    clipping paths), XObjects, shadings and inline images at marked-content depth 0 are wrapped;
    graphics-state operators stay where they are, so ``q``/``Q`` nesting is unchanged.
    """
    from survey_kit._extras import require

    pikepdf = require("pikepdf")

    bmc = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    emc = pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))
    changed = 0
    for page in pdf.pages:
        ops = pikepdf.parse_content_stream(page)
        names = [_op(ins) for ins in ops]
        out: list = []
        depth, i, n, dirty = 0, 0, len(ops), False
        while i < n:
            op = names[i]
            end = None
            if op in ("BDC", "BMC"):
                depth += 1
            elif op == "EMC":
                depth = max(0, depth - 1)
            elif depth == 0 and op == "BT":
                end = i
                while end < n - 1 and names[end] != "ET":
                    end += 1
            elif depth == 0 and op in ("Do", "sh", "INLINE"):
                end = i
            elif depth == 0 and op in _PATH_OPS:
                j = i
                while j < n and names[j] in _PATH_OPS:
                    j += 1
                if j < n and names[j] in _PAINT_OPS:
                    end = j
            if end is None:
                out.append(ops[i])
                i += 1
                continue
            out.append(bmc)
            out.extend(ops[i:end + 1])
            out.append(emc)
            dirty = True
            i = end + 1
        if dirty:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
            changed += 1
    return changed


def _overlay_footer(pdf, footer: bytes) -> None:
    """Lay each page of ``footer`` (a PDF of the same page count) over the report's page as a
    pagination artifact (a form XObject drawn inside ``/Artifact ... BDC``/``EMC``)."""
    import io

    from survey_kit._extras import require

    pikepdf = require("pikepdf")

    with pikepdf.open(io.BytesIO(footer)) as foot:
        if len(foot.pages) != len(pdf.pages):
            raise RuntimeError(f"footer: {len(foot.pages)} pages for a report of {len(pdf.pages)}")
        for page, fpage in zip(pdf.pages, foot.pages, strict=True):
            if not fpage.get("/Contents"):
                continue
            form = pdf.copy_foreign(fpage.as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="SkFoot")
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(
                b"\nQ\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nq " + str(name).encode("ascii")
                + b" Do Q\nEMC\n"), prepend=False)


def finish_pdf(src: Path, dest: Path, *, title: str, lang: str, footer=None) -> Path:
    """Read Chromium's PDF ``src``, add artifacts, XMP (PDF/UA-1) and DisplayDocTitle, write ``dest``.

    ``footer``: a callable ``n_pages -> bytes`` giving the footer pages (printed apart by
    Chromium) to lay over the pages as artifacts; without it, whatever Chromium drew outside
    marked content (the CSS margin boxes) is found in the page content and marked as artifact.
    """
    from survey_kit._extras import require

    pikepdf = require("pikepdf")

    src, dest = Path(src), Path(dest)
    with pikepdf.open(src) as pdf:
        if footer is not None:
            _overlay_footer(pdf, footer(len(pdf.pages)))
        else:
            _mark_artifacts(pdf)
        root = pdf.Root
        root.Metadata = pdf.make_stream(xmp_packet(title, lang), Type=pikepdf.Name.Metadata,
                                        Subtype=pikepdf.Name.XML)
        prefs = root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary):
            prefs = pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        root.ViewerPreferences = prefs
        root.Lang = pikepdf.String(lang)
        pdf.docinfo.Title = pikepdf.String(title)
        tmp = dest.with_name(f".{dest.name}.post")
        pdf.save(tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)
    return dest
