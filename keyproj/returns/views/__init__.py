"""The pages of 月度填报: entry and the workbook (entry), review, locks, timeliness and corrections (office)."""
