"""How the site writes a forum's dates in Spanish: "16 de marzo de 2027", never "16 marzo 2027".
The same names as config/formats/en/formats.py."""

FORUM_DAY = r"j \d\e F \d\e Y"  # 16 de marzo de 2027
FORUM_WEEKDAY = r"l, j \d\e F \d\e Y"  # martes, 16 de marzo de 2027
FORUM_DAY_TIME = r"j \d\e F \d\e Y, H:i"  # 16 de marzo de 2027, 09:00
FORUM_WEEKDAY_TIME = r"l, j \d\e F \d\e Y, H:i"  # martes, 16 de marzo de 2027, 09:00
FORUM_SHORT_DAY = r"j \d\e F \d\e Y"  # 16 de marzo de 2027
FORUM_SHORT_DAY_TIME = r"j \d\e F \d\e Y, H:i"  # 16 de marzo de 2027, 09:00
