-- argv: {title, body}
on run argv
	tell application "Notes"
		make new note at default folder of default account with properties {name:(item 1 of argv), body:(item 2 of argv)}
	end tell
	return "created"
end run
