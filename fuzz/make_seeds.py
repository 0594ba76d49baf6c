#!/usr/bin/env python3
"""Writes the binary seeds of fuzz/corpus/ (PDF, DOCX, passage records); the text seeds are
written by hand. Run from anywhere: python3 fuzz/make_seeds.py. The output is checked in, so
this only needs running again when the seeds should change."""
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def out(target, name, data):
    path = os.path.join(HERE, "corpus", target, name)
    with open(path, "wb") as f:
        f.write(data)


def pdf(pages, info=None):
    """A minimal PDF: one Helvetica text stream per page, a correct xref table."""
    objects = []  # bodies, object n = index + 1

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_obj = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for lines in pages:
        ops = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
        for size, text in lines:
            ops.append(b"/F1 %d Tf (%s) ' " % (size, text.encode("latin-1")))
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_obj, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info_obj = add(info) if info else None
    data = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        data += b"%010d 00000 n \n" % off
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info_obj:
        trailer += b" /Info %d 0 R" % info_obj
    data += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return data


def docx(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def passage_record(version, strings_before_text, text, tags):
    def varint(v):
        b = b""
        while v >= 0x80:
            b += bytes([(v & 0x7F) | 0x80])
            v >>= 7
        return b + bytes([v])

    def s(x):
        x = x.encode()
        return varint(len(x)) + x

    rec = b"P" + bytes([version])
    pid, doc_id, section, locator = strings_before_text
    rec += s(pid) + s(doc_id) + varint(3) + varint(len(section)) + b"".join(s(x) for x in section)
    rec += s(locator) + varint(2) + s(text) + varint(100) + varint(100 + len(text.encode()))
    rec += varint(1) + s("en")
    if version >= 3:
        rec += s("Ms. Member")
    rec += varint(len(tags))
    for concept, score in tags:
        rec += s(concept) + s("rule") + struct.pack("<d", score) + varint(1) + s("patrol")
        rec += s("3") + s("") + s("") + s("")
    return rec


def main():
    out("pdf_reader", "two-pages.pdf", pdf(
        [[(14, "I. Introduction"), (11, "1. The mission shall protect civilians through"),
          (11, "patrols and early warn-"), (11, "ing in the three provinces.")],
         [(11, "2. Dialogue and engagement with communities."), (9, "Page 2 of 2")]],
        info=b"<< /Title (Policy) /Author (DPO) /CreationDate (D:20230501120000Z) >>"))
    out("pdf_reader", "masthead.pdf", pdf(
        [[(11, "United Nations S/2024/1"), (11, "Security Council Distr.: General"),
          (11, "3 January 2024"), (11, "Original: English"), (14, "Report on civilians"),
          (11, "1. Civilians were protected."), (8, "24-00001 (E)")]]))
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Concept note</dc:title>'
            '<dc:creator>Tamarind</dc:creator><dcterms:created>2022-02-01T00:00:00Z'
            '</dcterms:created><dc:language>en-GB</dc:language></cp:coreProperties>')
    styles = (f'<w:styles {W}><w:style w:type="paragraph" w:styleId="H1"><w:name '
              'w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="T">'
              '<w:name w:val="Title"/><w:basedOn w:val="H1"/></w:style></w:styles>')
    numbering = (f'<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                 '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1">'
                 '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
                 '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
                 '</w:numbering>')
    body = (f'<w:document {W}><w:body>'
            '<w:p><w:pPr><w:pStyle w:val="T"/></w:pPr><w:r><w:t>Accompaniment</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t xml:space="preserve">Protective </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
            '<w:t>presence</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
            '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>in camps</w:t><w:tab/><w:t>and</w:t><w:br/><w:delText>gone</w:delText>'
            '<w:noBreakHyphen/><w:t>villages.</w:t></w:r></w:p>'
            '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Site</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>'
            '<w:t>Visits</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Juba</w:t>'
            '</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            '</w:body></w:document>')
    footnotes = (f'<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>A note.</w:t></w:r>'
                 '</w:p></w:footnote></w:footnotes>')
    note = {"word/document.xml": body, "word/styles.xml": styles,
            "word/numbering.xml": numbering, "word/footnotes.xml": footnotes,
            "docProps/core.xml": core}
    out("docx_reader", "note.docx", docx(note))
    # The same parts as text, which fuzz_docx_reader zips itself (see there).
    out("docx_reader", "note.parts", "".join(
        f"== {name}\n{text}\n" for name, text in note.items()).encode())
    out("docx_reader", "comments.parts", (
        f"== word/document.xml\n<w:document {W}><w:body><w:p><w:commentRangeStart w:id=\"0\"/>"
        "<w:r><w:t>Commented</w:t></w:r><w:r><w:commentReference w:id=\"0\"/></w:r>"
        "<w:r><w:endnoteReference w:id=\"2\"/></w:r></w:p><w:sdt><w:sdtContent><w:p><w:pPr>"
        "<w:outlineLvl w:val=\"1\"/></w:pPr><w:r><w:t>Outline heading</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt><w:p><w:r><mc:AlternateContent xmlns:mc=\"http://schemas."
        "openxmlformats.org/markup-compatibility/2006\"><mc:Choice><w:drawing><w:txbxContent>"
        "<w:p><w:r><w:t>Box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:t>Box</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "</w:body></w:document>\n"
        f"== word/comments.xml\n<w:comments {W}><w:comment w:id=\"0\"><w:p><w:r><w:t>Why"
        "</w:t></w:r></w:p></w:comment></w:comments>\n"
        f"== word/endnotes.xml\n<w:endnotes {W}><w:endnote w:id=\"2\"><w:p><w:r><w:t>End"
        "</w:t></w:r></w:p></w:endnote></w:endnotes>\n").encode())
    out("docx_reader", "minimal.docx", docx({
        "word/document.xml": f'<w:document {W}><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p>'
                             '</w:body></w:document>'}))
    out("passage_codec", "v3-tagged", passage_record(
        3, ("doc#5(a)", "doc", ["Part I", "Tier II"], "5(a)"), "Civilians were protected.",
        [("un-tier-2", 2.5), ("au-physical", 1.0)]))
    out("passage_codec", "v2-plain", passage_record(2, ("doc#p-1", "doc", [], ""), "Text.", []))
    out("passage_codec", "document-record.json", (
        b'{"id":"doc","title":"T","issuer":"SC","symbol":"S/RES/1","date":"2023","language":'
        b'"en","type":"resolution","url":"","author":"","note":"","path":"/x/doc.txt","format":'
        b'"text","content_hash":"ab","passages":3,"indexed_at":"2024-01-01T00:00:00Z",'
        b'"coverage":0.98,"warning":""}'))


if __name__ == "__main__":
    main()
