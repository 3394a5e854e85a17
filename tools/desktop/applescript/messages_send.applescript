-- argv: {phone number, message text}
on run argv
	set phoneNumber to item 1 of argv
	set messageText to item 2 of argv
	tell application "Messages"
		set smsService to 1st account whose service type = SMS
		send messageText to participant phoneNumber of smsService
	end tell
	return "sent"
end run
