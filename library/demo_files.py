"""Real, small office files for the demo library, built on the spot (nothing binary is kept in the repository).

Each builder returns bytes of a genuine file that opens in Word, Excel, PowerPoint or a PDF reader, so the demo's
downloads, previews and search inside documents all work on the first `make run`.
"""

import io
from datetime import date

from docx import Document
from docx.shared import Pt
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from pptx import Presentation
from pptx.util import Inches
from pptx.util import Pt as PptPt

# Document properties carry the platform's name, not a person's, and a fixed date so rebuilds give the same bytes.
FIXED_DATE = date(2026, 1, 5)


def benefits_profile_docx() -> bytes:
    """A one-page benefits profile template (Word), as discussed in the demo forum thread."""
    document = Document()
    document.core_properties.author = "PPM Community"
    document.core_properties.title = "One-page benefits profile"
    document.add_heading("Benefits profile (one page)", level=1)
    intro = document.add_paragraph(
        "Use one profile per benefit. Keep it to a page: if it does not fit, the benefit is probably two benefits. "
        "Review it at every programme board and at each stage gate."
    )
    intro.runs[0].font.size = Pt(10)
    rows = [
        ("Benefit", "What will be better, for whom? e.g. Fewer missed bin collections for residents."),
        ("Measure", "How it will be measured, and by whom. Prefer a measure that is already collected."),
        ("Baseline", "The value today, with its date and source."),
        ("Target", "The value we expect, and by when."),
        ("Leading indicator", "How will we know early that the benefit is on its way?"),
        ("Benefit owner", "A named person in the business (not the project) who will realise it."),
        ("Dates", "When realisation starts, when it is reviewed, when the profile closes."),
        ("Dependencies", "Other projects, changes in working practice, or enablers it relies on."),
        ("Dis-benefits", "What gets worse, for whom, and how it will be managed."),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, hint) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].text = hint
    document.add_paragraph("")
    document.add_paragraph("Shared in the PPM Community library under the Open Government Licence v3.0.")
    return _save(document)


def risk_register_xlsx() -> bytes:
    """A risk register with scoring, owners and next actions (Excel)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Risk register"
    workbook.properties.creator = "PPM Community"
    workbook.properties.created = workbook.properties.modified = _fixed_datetime()
    header = [
        "ID",
        "Risk (cause, event, effect)",
        "Owner",
        "Likelihood (1-5)",
        "Impact (1-5)",
        "Score",
        "Next action",
        "Action due",
        "Last reviewed",
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="00663F")
    risks = [
        ("R01", "Because the supplier is new, delivery may slip, delaying go-live", "Head of ICT", 3, 4),
        ("R02", "Because key staff are also on the ERP project, capacity may fall short", "SRO", 4, 3),
        ("R03", "Because the budget is fixed, inflation may erode contingency", "Finance Business Partner", 3, 3),
        ("R04", "Because the data is poor, migration may take longer than planned", "Data Lead", 4, 4),
        ("R05", "Because consultation is required, planning consent may be delayed", "Estates Manager", 2, 5),
    ]
    for row, (ref, text, owner, likelihood, impact) in enumerate(risks, start=2):
        sheet.append([ref, text, owner, likelihood, impact, f"=D{row}*E{row}", "Agree mitigation at board", "", ""])
    widths = {"A": 6, "B": 60, "C": 24, "D": 16, "E": 12, "F": 8, "G": 30, "H": 12, "I": 14}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    guide = workbook.create_sheet("How to use")
    for line in (
        "Review risks as a standing item at the weekly team meeting: ten minutes, owners present.",
        "A risk with no next action is just a worry: every risk needs a next action with a date.",
        "Anything not reviewed for four weeks is flagged red.",
        "Score = likelihood x impact. Escalate anything scoring 15 or more to the programme board.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gateway_review_pptx() -> bytes:
    """Slides on preparing for a Gateway 2 review (PowerPoint)."""
    presentation = Presentation()
    presentation.core_properties.author = "PPM Community"
    presentation.core_properties.title = "Preparing for a gateway review"
    slides = [
        ("Preparing for a Gateway 2 review", ["Delivery confidence starts long before the review week"]),
        (
            "What reviewers look at",
            [
                "Is the business case still sound, and are the options properly appraised?",
                "Is the delivery strategy realistic, with a credible plan and resourcing?",
                "Are risks owned, with mitigations that are actually happening?",
                "Are stakeholders engaged, and do benefits have owners?",
            ],
        ),
        (
            "What catches people out",
            [
                "Evidence that exists only in people's heads: write it down",
                "A risk register nobody has touched since initiation",
                "Benefits without baselines",
                "Interviewees who have not seen the papers",
            ],
        ),
        (
            "Four weeks out",
            [
                "Agree the interview list with the review team leader",
                "Share the document pack early, with a one-page index",
                "Brief the SRO: the review is about delivery confidence, not blame",
            ],
        ),
        ("After the review", ["Act on the recommendations, report progress to the board, share lessons here"]),
    ]
    for index, (title, bullets) in enumerate(slides):
        layout = presentation.slide_layouts[0 if index == 0 else 1]
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for bullet in bullets[1:]:
            body.add_paragraph().text = bullet
        for paragraph in body.paragraphs:
            for run in paragraph.runs:
                run.font.size = PptPt(20 if index else 24)
        notes = slide.notes_slide.notes_text_frame
        notes.text = "Speaker notes: drawn from members' experience of Gateway reviews in local government."
    presentation.slide_width = Inches(13.333)
    presentation.slide_height = Inches(7.5)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


class _GuidePDF(FPDF):
    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90, 107, 102)
        self.cell(0, 10, f"PPM Community library · page {self.page_no()}", align="C")


def text_pdf(title: str, sections: list[tuple[str, str]]) -> bytes:
    """A plain, text-based PDF: a title, then headed sections (also used by the tests and the benchmark)."""
    pdf = _GuidePDF(format="A4")
    pdf.set_creation_date(_fixed_datetime())
    pdf.set_title(title)
    pdf.set_author("PPM Community")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=20)
    pdf.set_text_color(0, 102, 63)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for heading, text in sections:
        if heading == "\f":
            pdf.add_page()
            continue
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def prince2_tailoring_pdf() -> bytes:
    """A short guide to tailoring PRINCE2 for small local-authority projects (PDF)."""
    return text_pdf(
        "Tailoring PRINCE2 for small projects",
        [
            (
                "Why tailor",
                "PRINCE2 is meant to be tailored to the size, complexity and risk of each project. A small project "
                "that runs every management product by the book spends more time on paperwork than on delivery.",
            ),
            (
                "Keep the principles, scale the products",
                "Keep continued business justification, defined roles, management by stages and by exception. "
                "Combine the Project Brief and the Project Initiation Document into one short document; keep a "
                "single log for risks, issues and lessons.",
            ),
            (
                "Roles",
                "One person may hold the Executive and Senior User roles on a small project, but keep project "
                "assurance independent of the project manager. Name the Senior Supplier even when it is an "
                "in-house team.",
            ),
            (
                "Stages and tolerances",
                "Two management stages are often enough: initiation and delivery. Agree time and cost tolerances "
                "with the board so the project manager only escalates real exceptions.",
            ),
            (
                "Reporting",
                "Replace weekly checkpoint reports with a fortnightly highlight report of one page: progress, "
                "top risks with next actions, decisions needed.",
            ),
            (
                "Closing",
                "Hand benefits to their owners with a benefits review plan, and share the lessons in the "
                "community library so the next project starts further ahead.",
            ),
        ],
    )


def _fixed_datetime():
    from datetime import UTC, datetime

    return datetime(FIXED_DATE.year, FIXED_DATE.month, FIXED_DATE.day, 9, 0, tzinfo=UTC)


def _save(document) -> bytes:
    document.core_properties.created = document.core_properties.modified = _fixed_datetime()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
