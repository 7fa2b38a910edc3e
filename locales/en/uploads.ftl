# Files sent in forms and the per-user storage quota (issue #10).

err-upload-quota-exceeded = Your file storage is full: { $used_mb } MB of { $quota_mb } MB used. Please delete documents you no longer need from the medical card and send the file again — the rest of the form is kept.
err-upload-pending-gone = The file you sent is no longer kept: the form was open too long. Please send it again — the rest of the form is kept.
