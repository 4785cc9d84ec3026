"""The people and communities of the demo: a UK public-sector project and programme management CoP."""

DEMO_PASSWORD = "community-demo-2026"

ADMIN = ("admin@demo.cop.example", "Alex", "Morgan", "Platform team", "Platform administrator")
FACILITATOR = ("facilitator@demo.cop.example", "Priya", "Shah", "Cabinet Office", "PPM Community Facilitator")
MEMBER = ("member@demo.cop.example", "Tom", "Hughes", "Leeds City Council", "Project Manager")

# (first, last, organisation, job title, expertise)
PEOPLE = [
    ("Sarah", "Okafor", "Manchester City Council", "Programme Manager", ["MSP", "benefits realisation"]),
    ("James", "Whitfield", "West Midlands Fire Service", "PMO Lead", ["PMO", "portfolio management"]),
    ("Aisha", "Rahman", "HM Revenue & Customs", "Senior Responsible Owner", ["assurance", "governance"]),
    ("David", "Llewellyn", "Cardiff Council", "Project Officer", ["PRINCE2", "risk"]),
    ("Fiona", "MacLeod", "Scottish Fire and Rescue Service", "Change Manager", ["change management"]),
    ("Oliver", "Bennett", "Department for Education", "Delivery Manager", ["agile", "digital delivery"]),
    ("Grace", "Adeyemi", "Birmingham City Council", "Portfolio Analyst", ["portfolio management", "reporting"]),
    ("Mark", "Thompson", "Ministry of Justice", "Head of Project Delivery", ["assurance", "gateway reviews"]),
    ("Hannah", "Price", "Bristol City Council", "Benefits Manager", ["benefits realisation"]),
    ("Rajesh", "Patel", "Department for Work and Pensions", "Programme Director", ["MSP", "stakeholder engagement"]),
    ("Emma", "Clarke", "Kent County Council", "Project Manager", ["PRINCE2", "procurement"]),
    ("Liam", "O'Connor", "Northern Ireland Fire & Rescue Service", "Project Support Officer", ["planning"]),
    ("Chloe", "Evans", "Welsh Government", "Programme Office Manager", ["PMO", "governance"]),
    ("Daniel", "Murphy", "Greater Manchester Fire and Rescue", "Estates Project Lead", ["construction", "risk"]),
    ("Sophie", "Turner", "Home Office", "Portfolio Manager", ["portfolio management", "prioritisation"]),
    ("Ben", "Ahmed", "Newcastle City Council", "ICT Project Manager", ["agile", "digital delivery"]),
    ("Laura", "Jenkins", "NHS England", "Transformation Lead", ["change management", "benefits realisation"]),
    ("Tariq", "Hussain", "Bradford Council", "Business Analyst", ["requirements", "process mapping"]),
    ("Megan", "Roberts", "Devon & Somerset Fire and Rescue", "Programme Coordinator", ["planning", "reporting"]),
    ("Andrew", "Campbell", "Glasgow City Council", "Senior Project Manager", ["PRINCE2", "MSP"]),
    ("Nadia", "Kowalski", "Department for Transport", "Risk Manager", ["risk", "assurance"]),
    ("Peter", "Walsh", "Liverpool City Council", "PMO Analyst", ["PMO", "reporting"]),
    (
        "Rebecca",
        "Hall",
        "Infrastructure and Projects Authority",
        "Assurance Reviewer",
        ["gateway reviews", "assurance"],
    ),
    ("Samuel", "Green", "Nottinghamshire Fire and Rescue", "Project Manager", ["procurement", "planning"]),
    ("Jessica", "Wood", "Cornwall Council", "Change Lead", ["change management", "stakeholder engagement"]),
    ("Michael", "Scott", "HM Treasury", "Business Case Adviser", ["business cases", "Green Book"]),
    ("Zara", "Ali", "Leicester City Council", "Project Officer", ["planning"]),
    ("Thomas", "Reid", "Ministry of Defence", "Programme Manager", ["MSP", "risk"]),
    ("Olivia", "Foster", "Hampshire County Council", "Portfolio Office Lead", ["portfolio management", "PMO"]),
    ("George", "Baker", "London Fire Brigade", "Programme Assurance Manager", ["assurance", "governance"]),
    (
        "Amelia",
        "Wright",
        "Sheffield City Council",
        "Benefits Realisation Lead",
        ["benefits realisation", "Green Book"],
    ),
    ("Harry", "Edwards", "Department of Health and Social Care", "PMO Manager", ["PMO", "agile"]),
    ("Isla", "Stewart", "City of Edinburgh Council", "Project Manager", ["PRINCE2", "construction"]),
    ("Jack", "Morris", "Surrey Fire and Rescue Service", "Project Support", ["planning", "reporting"]),
    ("Ruby", "Cooper", "Cabinet Office", "Head of Profession, Project Delivery", ["capability", "governance"]),
    ("Noah", "Harris", "Lancashire County Council", "Project Manager", ["procurement", "risk"]),
    ("Ella", "Mitchell", "Environment Agency", "Programme Manager", ["MSP", "stakeholder engagement"]),
    ("Yusuf", "Demir", "Coventry City Council", "Junior Project Manager", ["PRINCE2"]),
    ("Charlotte", "King", "Norfolk Fire and Rescue Service", "Change Coordinator", ["change management"]),
    ("William", "Young", "Crown Commercial Service", "Commercial Project Lead", ["procurement", "business cases"]),
    ("Mia", "Lewis", "Swansea Council", "Project Officer", ["planning", "risk"]),
    ("Ethan", "Robinson", "Department for Levelling Up", "Delivery Lead", ["agile", "benefits realisation"]),
]

PPM = {
    "slug": "ppm-community",
    "name": "Public Sector PPM Community",
    "tagline": "Project, programme and portfolio practitioners across UK public services, learning together.",
    "description": (
        "A community of practice for people who deliver **projects, programmes and portfolios** in UK public "
        "services: councils, fire and rescue services, the NHS and central government.\n\n"
        "We ask each other questions, share templates and toolkits, put questions to experts in our hot seats "
        "and learn from what went well (and what didn't). Everyone who does project work is welcome, from "
        "project support officers to senior responsible owners.\n\n"
        "- Ask a question: someone here has probably faced it before\n"
        "- Share what you know: your lessons save someone else months\n"
        "- Be kind: we all started somewhere"
    ),
    "join_policy": "approval",
    "visibility": "public",
    "stage": "maturing",
}

BRN = {
    "slug": "benefits-realisation-network",
    "name": "Benefits Realisation Network",
    "tagline": "A private circle for benefits managers to compare notes candidly.",
    "description": (
        "A **private** network for practitioners responsible for identifying, tracking and realising benefits "
        "from public investment. Members share benefits maps, profiles and realisation plans, and discuss what "
        "they cannot say in public: evaluations that did not go to plan, optimism bias, and how to keep senior "
        "responsible owners engaged after go-live."
    ),
    "join_policy": "invite",
    "visibility": "private",
    "stage": "coalescing",
}

REQUEST_MESSAGES = [
    "I've just moved into a PMO role at my council and would love to learn from others doing the same.",
    "Project manager in fire and rescue estates. Keen to share lessons from our station rebuild programme.",
    "New to benefits management and looking for templates and advice.",
]
