"""Text patterns for the block rules (data only, no logic). Order sets priority."""

from __future__ import annotations

import re

# Agencies and picture desks that appear in photo credits and datelines.
AGENCIES = {
    "AP": "Associated Press", "Associated Press": "Associated Press", "The Associated Press": "Associated Press",
    "Reuters": "Reuters", "AFP": "Agence France-Presse", "Agence France-Presse": "Agence France-Presse",
    "EPA": "EPA", "UPI": "United Press International", "dpa": "dpa", "Xinhua": "Xinhua", "PTI": "Press Trust of India",
    "Anadolu": "Anadolu Agency", "Bloomberg": "Bloomberg", "CNN": "CNN", "Getty Images": "Getty Images",
}
_AGENCY = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))

# A photo credit on a line of its own: "(Rahmat Gul / Associated Press)", "AP Photo/Anjum Naveed",
# "Photo: Jane Roe/Reuters", "Credit: …", "Getty Images".
CREDIT_LINE = re.compile(
    rf"""^\(?\s*(?:
        (?:AP|AFP|EPA|Reuters|UPI)\s+Photos?\s*/\s*[^()]{{2,60}}
      | (?:Photo(?:graph)?s?|Image|Picture|Credit|Photo\s+credit)\s*(?:by|:)\s*[^()]{{2,80}}
      | [A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}\s*/\s*(?:{_AGENCY}|[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){{0,3}})
      | (?:{_AGENCY})(?:\s+(?:via\s+)?Getty\s+Images)?
    )\s*\)?\.?$""",
    re.X,
)

# Whole blocks that are page furniture, by kind. Matched against one stripped block (case-insensitive).
BOILERPLATE_BLOCKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ad", re.compile(r"^(advertisement|ad|sponsored( content)?|story continues below( this)? advertisement|"
                      r"continue reading the main story|scroll to continue( with content)?|"
                      r"publicit[ée]|anuncio|publicidad|anzeige|werbung)$", re.I)),
    ("share", re.compile(r"^(partager( cet article)?|compartir( este art[íi]culo)?|(artikel )?teilen|"
                         r"share( this( article| story)?)?( on (facebook|twitter|x|whatsapp|linkedin|email))?|"
                         r"tweet|email|print|copy link|share via .{1,30}|(facebook|twitter|whatsapp|linkedin|email)"
                         r"(\s*[|·•,]\s*(facebook|twitter|whatsapp|linkedin|email|print))*)$", re.I)),
    ("newsletter", re.compile(r"^(sign up|subscribe|get (our|the) .{0,40}newsletter|join our newsletter)\b.{0,160}$",
                              re.I)),
    ("newsletter", re.compile(r"^.{0,80}\b(newsletter|subscribe now|subscribers only)\b.{0,80}$", re.I)),
    ("related", re.compile(r"^(read more|related|see also|more from .{1,40}|most read|recommended|"
                           r"click here|you may also like|also read)\b\s*[:—–-]?.{0,200}$", re.I)),
    ("follow", re.compile(r"^follow (us|.{1,40}) on (twitter|x|facebook|instagram)\b.{0,100}$", re.I)),
    ("copyright", re.compile(r"^(copyright|©|\(c\))\s*.{0,40}\d{4}.{0,200}$", re.I)),
    ("copyright", re.compile(r"^this material may not be published, broadcast, rewritten or redistributed\.?$", re.I)),
)

# A byline block: "By Kathy Gannon", "By KATHY GANNON and JOHN DOE, Associated Press", "By a staff writer",
# and the French, Spanish and German forms ("Par …", "Por …", "Von …").
BYLINE = re.compile(r"^(?:By|Par|Por|Von)\s+(?P<names>[^\n]{2,160})$")
# Words that make the part of a byline after a comma an organisation rather than another name.
ORGANISATION_WORDS = re.compile(
    r"\b(press|news|wire|times|post|journal|herald|tribune|ledger|media|agency|service|reuters|bureau|"
    r"correspondent|staff|writer|reporter|editor|network|radio|television|tv|daily|gazette|monitor|review|"
    r"attorney|director|columnist|contributor|analyst|photographer|producer)\b", re.I)

# The story's own dateline at the start of the first paragraph: "ISLAMABAD —", "KABUL (AP) —",
# "PESHAWAR, Pakistan (Reuters) -", "NEW DELHI, Aug. 12 (Reuters) -".
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)*)?)"
    r"(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\))?\s*(?:—|–|--|-)\s+"
)
