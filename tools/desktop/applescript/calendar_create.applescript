-- argv: {title, location, notes, start year, month, day, hour, minute, end year, month, day, hour, minute, attendee addresses...}
on run argv
	set theTitle to item 1 of argv
	set theLocation to item 2 of argv
	set theNotes to item 3 of argv
	set startDate to my makeDate(items 4 thru 8 of argv)
	set endDate to my makeDate(items 9 thru 13 of argv)
	tell application "Calendar"
		tell (first calendar whose writable is true)
			set newEvent to make new event with properties {summary:theTitle, start date:startDate, end date:endDate, location:theLocation, description:theNotes}
			repeat with i from 14 to count of argv
				tell newEvent to make new attendee at end of attendees with properties {email:(item i of argv)}
			end repeat
		end tell
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
