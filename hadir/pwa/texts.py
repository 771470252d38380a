"""Every text of the employee app, from the one catalogue: the shell page carries them to the
JavaScript (rendered in the user's language and cached with it, so they work offline).

Placeholders are written {name}; the app fills them in.
"""

from django.utils.translation import gettext_lazy as _

TEXTS = {
    "loginTitle": _("Log in to Hadir"),
    "loginHelp": _("Use your NIP (or employee number) and your password."),
    "identifier": _("NIP or employee number"),
    "password": _("Password"),
    "loginButton": _("Log in"),
    "notAnEmployee": _("This account is not an employee account."),
    "sessionExpired": _(
        "Your session has ended. Log in again; saved check-ins are kept and will be sent."
    ),
    "noNetwork": _("No connection to the server. Try again when the network is back."),
    "serverError": _("The server could not answer. Try again in a moment."),
    "pendingTitle": _("Waiting for approval"),
    "pendingHelp": _(
        "This phone is registered and waits for approval by your atasan langsung or the "
        "OPD administrator. Check-ins from it count once it is approved."
    ),
    "pendingSecondPhone": _(
        "You already have another phone registered. This new phone must be approved by "
        "your atasan langsung (or the OPD administrator) before you can check in with it;"
        " until then, use your old phone."
    ),
    "pendingAsk": _("Ask {name} to approve it in Hadir."),
    "deviceRefusedTitle": _("This phone may not be used"),
    "deviceRefusedHelp": _(
        "The registration of this phone was refused or revoked. You may register it "
        "again; your atasan must approve it."
    ),
    "checkAgain": _("Check again"),
    "enrolAgain": _("Register this phone again"),
    "logout": _("Log out"),
    "queued": _("{n} check-in(s) saved on this phone, to be sent automatically."),
    "challengeTitle": _("Presence check"),
    "challengeHelp": _(
        "Show that you are still at the office: answer before {time}. Scan the office "
        "code if the screen is near."
    ),
    "challengeAnswer": _("Answer now"),
    "today": _("Today"),
    "checkedIn": _("Checked in"),
    "checkedOut": _("Checked out"),
    "notYetIn": _("not yet"),
    "notYetOut": _("not yet"),
    "location": _("Your location"),
    "locating": _("Finding your location…"),
    "accuracy": _("accuracy ±{m} m"),
    "inside": _("inside the area of {name}"),
    "edge": _("at the edge of the area of {name}"),
    "outside": _("outside the area of {name} ({m} m away)"),
    "noWorkplace": _("no workplace is set for you"),
    "noGeolocation": _("This browser cannot give a location."),
    "locationDenied": _(
        "Location is not allowed. Allow location for Hadir in the browser settings."
    ),
    "locationUnavailable": _("No location yet. Go outdoors or near a window and wait a moment."),
    "officeCode": _("Office code"),
    "officeHelp": _("Scan the QR code on the office screen, or type its 6 digits."),
    "qrScanned": _("Office QR code of {place} scanned (valid for 2 minutes)."),
    "codeTyped": _("Office code {code} typed."),
    "scan": _("Scan the office QR code"),
    "typeCode": _("Or type the office code"),
    "scanHelp": _("Point the camera at the QR code on the office screen."),
    "close": _("Close"),
    "cameraUnavailable": _("The camera cannot be used. Type the office code instead."),
    "checkIn": _("Check in"),
    "checkOut": _("Check out"),
    "online": _("Online"),
    "offline": _("Offline"),
    "sending": _("Sending…"),
    "noFix": _("No location: Hadir needs your location to check in."),
    "savedOffline": _("Saved, will be sent automatically"),
    "madeAt": _("Made at {time} on this phone."),
    "recordedAt": _("Recorded at {time}."),
    "accepted": _("Accepted"),
    "acceptedWithNotes": _("Accepted with notes"),
    "rejected": _("Refused"),
    "queueSent": _("{n} saved check-in(s) sent."),
    "pushMissing": _(
        "Notifications are off: while Hadir is closed you may miss a presence check. "
        "Hadir still checks each time you open it."
    ),
    "pushEnable": _("Turn on notifications"),
    "pushFailed": _("Notifications could not be turned on in this browser."),
    "myMonth": _("My attendance"),
    "month": _("Month"),
    "loading": _("Loading…"),
    "noDays": _("No days recorded yet this month."),
    "dayTimes": _("in {in} · out {out}"),
    "myLeave": _("Leave and permission"),
    "askLeave": _("Ask for leave"),
    "leaveKind": _("Kind"),
    "firstDay": _("First day"),
    "lastDay": _("Last day"),
    "leaveReason": _("Reason"),
    "photo": _("Photo of the letter (doctor's note, invitation…)"),
    "submitLeave": _("Send the request"),
    "leaveSent": _("Request sent. Your atasan will decide."),
    "photoUnreadable": _("The photo could not be read. Take it again."),
    "dutyLetter": _("Number of the surat tugas"),
    "dutyDestination": _("Destination (name of the place)"),
    "dutyPoint": _("Destination point (optional): latitude, longitude"),
    "dutyPointHelp": _(
        "Already there? Use your current location. Or paste the point from a map app. "
        "Your check-ins on these days are then judged at this point."
    ),
    "useMyLocation": _("Use my current location"),
    "locationFailed": _("Your location could not be read. Type the point or leave it empty."),
    "pointUnreadable": _(
        "Write the point as two numbers, latitude then longitude (e.g. -2.2096, 113.9136), "
        "or leave it empty."
    ),
    "dutyAt": _("Destination: {place}"),
    "myRequests": _("My requests"),
    "noRequests": _("No requests yet."),
    "myDevices": _("My phones"),
    "phone": _("Phone"),
    "thisPhone": _("this phone"),
    "enrolledOn": _("registered on {date}"),
    "navHome": _("Home"),
    "navMonth": _("History"),
    "navLeave": _("Leave"),
    "navDevices": _("Phones"),
    "appTitle": _("Hadir – attendance"),
    "noScript": _("Hadir needs JavaScript. Open it in Chrome or another modern browser."),
    "takePhoto": _("Take a photo"),
    "noPhoto": _("No photo yet."),
    "photoChosen": _("Photo: {name}"),
    "firstTime": _("First time? Use your activation code"),
    "activateTitle": _("Activate your account"),
    "activateHelp": _(
        "Type your NIP and the code from the activation sheet your OPD gave you, then "
        "choose your password."
    ),
    "activationCode": _("Activation code"),
    "newPassword": _("New password (at least 8 characters)"),
    "repeatPassword": _("New password again"),
    "passwordsDiffer": _("The two passwords are not the same."),
    "activateButton": _("Activate and log in"),
    "back": _("Back"),
    "codePlaceholder": _("6 digits"),
}


def rendered() -> dict[str, str]:
    return {key: str(text) for key, text in TEXTS.items()}
