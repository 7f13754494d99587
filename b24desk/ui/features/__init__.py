"""The window's features, one module each, over one shared `DeskState`.

Each feature is a small QObject that answers some of the window's requests: it starts
`AsyncOp`s through the bridge (never a task of its own), reads and writes the shared state
(`state.DeskState`: services, session, phase, the one running op, problem reporting) and
asks other features for things only through its own Qt signals, which
`b24desk.ui.controller` wires up. Like Anki's `aqt.operations`, the work inside an op never
touches a widget: results reach the window in the op's success and failure callbacks.

    connecting  start-up, connect, switch and remove profiles, try the demo
    loading     list the completed tasks into the table; stop
    runs        renew, retry failed, check first, undo, cancel
    history     the history dialog, CSV export, undo a run from there
    setup       the setup dialog: test and save a webhook, OAuth sign-in
    report      the diagnostic report
    task_link   open a task in the browser
"""
