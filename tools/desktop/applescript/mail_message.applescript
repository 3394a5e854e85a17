-- argv: {"send" or "draft", subject, body, n, n To addresses, m, m Cc addresses, attachment paths...}
on run argv
	set mode to item 1 of argv
	set theSubject to item 2 of argv
	set theBody to item 3 of argv
	set toCount to (item 4 of argv) as integer
	set toList to my slice(argv, 5, toCount)
	set ccAt to 5 + toCount
	set ccCount to (item ccAt of argv) as integer
	set ccList to my slice(argv, ccAt + 1, ccCount)
	set attachList to my slice(argv, ccAt + 1 + ccCount, (count of argv) - ccAt - ccCount)
	tell application "Mail"
		set newMessage to make new outgoing message with properties {subject:theSubject, content:theBody, visible:(mode is "draft")}
		tell newMessage
			repeat with addr in toList
				make new to recipient at end of to recipients with properties {address:(addr as text)}
			end repeat
			repeat with addr in ccList
				make new cc recipient at end of cc recipients with properties {address:(addr as text)}
			end repeat
			repeat with attachmentPath in attachList
				make new attachment with properties {file name:((POSIX file (attachmentPath as text)) as alias)} at after the last paragraph
			end repeat
		end tell
		if mode is "send" then
			send newMessage
			return "sent"
		end if
		save newMessage
	end tell
	return "draft"
end run

on slice(theList, firstIndex, n)
	if n < 1 then return {}
	return items firstIndex thru (firstIndex + n - 1) of theList
end slice
