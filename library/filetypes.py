"""What the library accepts, what it refuses, and what each refusal says to the member."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    extension: str
    family: str  # how the bytes are checked: pdf, ooxml, odf, text, image
    label: str
    content_type: str  # what the file is served as: ours, never the browser's guess


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml"
POWERPOINT = "application/vnd.openxmlformats-officedocument.presentationml"
ODF = "application/vnd.oasis.opendocument"

ALLOWED: dict[str, FileType] = {
    t.extension: t
    for t in (
        FileType("pdf", "pdf", "PDF", "application/pdf"),
        FileType("docx", "ooxml", "Word document", f"{WORD}.document"),
        FileType("dotx", "ooxml", "Word template", f"{WORD}.template"),
        FileType("xlsx", "ooxml", "Excel workbook", f"{EXCEL}.sheet"),
        FileType("xltx", "ooxml", "Excel template", f"{EXCEL}.template"),
        FileType("pptx", "ooxml", "PowerPoint presentation", f"{POWERPOINT}.presentation"),
        FileType("potx", "ooxml", "PowerPoint template", f"{POWERPOINT}.template"),
        FileType("ppsx", "ooxml", "PowerPoint slide show", f"{POWERPOINT}.slideshow"),
        FileType("odt", "odf", "OpenDocument text", f"{ODF}.text"),
        FileType("ott", "odf", "OpenDocument text template", f"{ODF}.text-template"),
        FileType("ods", "odf", "OpenDocument spreadsheet", f"{ODF}.spreadsheet"),
        FileType("ots", "odf", "OpenDocument spreadsheet template", f"{ODF}.spreadsheet-template"),
        FileType("odp", "odf", "OpenDocument presentation", f"{ODF}.presentation"),
        FileType("otp", "odf", "OpenDocument presentation template", f"{ODF}.presentation-template"),
        FileType("txt", "text", "Plain text", "text/plain"),
        FileType("md", "text", "Markdown", "text/markdown"),
        FileType("markdown", "text", "Markdown", "text/markdown"),
        FileType("csv", "text", "CSV", "text/csv"),
        FileType("png", "image", "PNG image", "image/png"),
        FileType("jpg", "image", "JPEG image", "image/jpeg"),
        FileType("jpeg", "image", "JPEG image", "image/jpeg"),
    )
}

LABELS: dict[str, str] = {t.content_type: t.label for t in ALLOWED.values()}

# The main part's content type in [Content_Types].xml says what an Office Open XML package really is.
OOXML_MAIN_PARTS: dict[str, str] = {
    f"{WORD}.document.main+xml": "docx",
    f"{WORD}.template.main+xml": "dotx",
    f"{EXCEL}.sheet.main+xml": "xlsx",
    f"{EXCEL}.template.main+xml": "xltx",
    f"{POWERPOINT}.presentation.main+xml": "pptx",
    f"{POWERPOINT}.template.main+xml": "potx",
    f"{POWERPOINT}.slideshow.main+xml": "ppsx",
}
ODF_MIMETYPES: dict[str, str] = {t.content_type: t.extension for t in ALLOWED.values() if t.family == "odf"}
# What libmagic may call a plain text, Markdown or CSV file. HTML, XML, SVG and scripts are not among them.
TEXT_SNIFFED = {"text/plain", "text/csv", "text/markdown", "text/x-markdown", "application/csv"}
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}

ACCEPTED_SUMMARY = "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, Markdown, CSV, PNG and JPEG files"

MACRO = (
    "Macro-enabled Office files are not accepted: their macros could run on other members' computers. "
    "Save it without macros (as .docx, .xlsx or .pptx) and upload that."
)
LEGACY_OFFICE = (
    "Older Office formats (.doc, .xls, .ppt) can carry macros we cannot check. "
    "Save it in the current format (.docx, .xlsx or .pptx) and upload that."
)
WEB = (
    "Web pages, SVG images and XML files are not accepted: they can run scripts when opened in a browser. "
    "Save it as a PDF (or the image as PNG) and upload that."
)
SCRIPT = "Scripts, program code and server configuration files are not accepted in the library."
PROGRAM = "Programs, installers and disk images are not accepted in the library."
ARCHIVE = "Archives are not accepted: upload the files inside them one by one (a toolkit can hold several files)."

REFUSED: dict[str, str] = {}
for _reason, _extensions in (
    (MACRO, "docm dotm xlsm xltm xlsb xlam pptm potm ppsm ppam sldm"),
    (LEGACY_OFFICE, "doc dot xls xlt xla ppt pot pps"),
    (WEB, "html htm xhtml shtml shtm stm mht mhtml xml xsl xslt svg svgz"),
    (
        SCRIPT,
        "js mjs cjs jsx ts vbs vbe wsf wsh hta ps1 psm1 bat cmd sh bash zsh csh py pyc pyo pl pm cgi rb lua "
        "php php3 php4 php5 php7 php8 phtml phar pht phpt pgif inc asp aspx asa asax ascx ashx asmx axd cer soap "
        "xamlx jsp jspx jsw jsv jspf do action cfm cfml cfc htaccess config ini conf lst",
    ),
    (PROGRAM, "exe dll msi msp com scr cpl app apk ipa jar war deb rpm dmg iso img bin elf so dylib sys"),
    (ARCHIVE, "zip 7z rar tar gz tgz bz2 xz"),
):
    REFUSED.update(dict.fromkeys(_extensions.split(), _reason))


def not_accepted(extension: str) -> str:
    """Why a file with this extension (or none) is refused, in words a member can act on."""
    if extension in REFUSED:
        return REFUSED[extension]
    if not extension:
        return f"The file name has no extension, so we cannot tell what it is. We accept {ACCEPTED_SUMMARY}."
    return f"“.{extension}” files are not accepted. We accept {ACCEPTED_SUMMARY}."
