-- argv: {title}. The note's plain text; an error if there is no such note.
on run argv
	tell application "Notes"
		set found to notes whose name is (item 1 of argv)
		if (count of found) is 0 then error "no note with that title"
		return plaintext of item 1 of found
	end tell
end run
