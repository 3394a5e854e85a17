-- argv: {from year, month, day, hour, minute, to year, month, day, hour, minute}
-- One line per event: title TAB start TAB end TAB location.
on run argv
	set fromDate to my makeDate(items 1 thru 5 of argv)
	set toDate to my makeDate(items 6 thru 10 of argv)
	set output to ""
	tell application "Calendar"
		repeat with cal in calendars
			repeat with ev in (every event of cal whose start date < toDate and end date > fromDate)
				set place to location of ev
				if place is missing value then set place to ""
				set output to output & (summary of ev) & tab & my isoDate(start date of ev) & tab & my isoDate(end date of ev) & tab & place & linefeed
			end repeat
		end repeat
	end tell
	return output
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
