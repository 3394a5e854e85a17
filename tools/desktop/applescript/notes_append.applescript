-- argv: {title, text to add}
on run argv
	tell application "Notes"
		set found to notes whose name is (item 1 of argv)
		if (count of found) is 0 then error "no note with that title"
		set theNote to item 1 of found
		set body of theNote to (body of theNote) & "<br>" & (item 2 of argv)
	end tell
	return "appended"
end run
