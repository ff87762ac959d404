"""How the site writes a forum's dates in English, by names the templates and the PDFs use
(`{{ day|date:"FORUM_DAY" }}`, `date_format(day, "FORUM_DAY")`). Django's own names are left
as they are."""

FORUM_DAY = "j F Y"  # 16 March 2027
FORUM_WEEKDAY = "l j F Y"  # Tuesday 16 March 2027
FORUM_DAY_TIME = "j F Y, H:i"  # 16 March 2027, 09:00
FORUM_WEEKDAY_TIME = "l j F Y, H:i"  # Tuesday 16 March 2027, 09:00
FORUM_SHORT_DAY = "j M Y"  # 16 Mar 2027
FORUM_SHORT_DAY_TIME = "j M Y H:i"  # 16 Mar 2027 09:00
