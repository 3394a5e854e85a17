-- argv: {name}. One line per matching person: name TAB emails TAB phones (comma-separated).
on run argv
	set wanted to item 1 of argv
	set output to ""
	tell application "Contacts"
		repeat with somebody in (every person whose name contains wanted)
			set emailList to value of every email of somebody
			set phoneList to value of every phone of somebody
			set output to output & (name of somebody) & tab & my joined(emailList) & tab & my joined(phoneList) & linefeed
		end repeat
	end tell
	return output
end run

on joined(theList)
	set AppleScript's text item delimiters to ","
	set joinedText to theList as text
	set AppleScript's text item delimiters to ""
	return joinedText
end joined
