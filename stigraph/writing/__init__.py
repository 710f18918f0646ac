"""How stigraph writes: files atomically, folders swapped in whole with a lock, and text from
data made safe for spreadsheets and terminals. Every output goes through here."""
