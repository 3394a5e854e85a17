-- argv: {title, notes, "1" if due else "0", due year, month, day, hour, minute}
on run argv
	set theTitle to item 1 of argv
	set theNotes to item 2 of argv
	tell application "Reminders"
		if item 3 of argv is "1" then
			make new reminder with properties {name:theTitle, body:theNotes, due date:(my makeDate(items 4 thru 8 of argv))}
		else
			make new reminder with properties {name:theTitle, body:theNotes}
		end if
	end tell
	return "created"
end run

on makeDate(parts)
	set theDate to current date
	set day of theDate to 1
	set year of theDate to (item 1 of parts) as integer
	set month of theDate to (item 2 of parts) as integer
	set day of theDate to (item 3 of parts) as integer
	set time of theDate to ((item 4 of parts) as integer) * 3600 + ((item 5 of parts) as integer) * 60
	return theDate
end makeDate

on isoDate(d)
	return (year of d as text) & "-" & my pad(month of d as integer) & "-" & my pad(day of d) & "T" & my pad(hours of d) & ":" & my pad(minutes of d)
end isoDate

on pad(n)
	return text -2 thru -1 of ("0" & n)
end pad
