"""What a browser session keeps (``st.session_state``) and what its address says
(``st.query_params``), each key and each parameter named once.

Only the session's own choices and work live here: the language, presentation mode, the file
shown and the edits in progress. Anything that must outlast the session lives in the store.
"""

# The session's state ----------------------------------------------------------------------------------
LANG = "lang"  # the interface's language
LANG_SWITCH = "lang_switch"  # the language widget's own copy (a drawn widget's state is its own)
PRESENTATION = "presentation"  # presentation mode, for a wall
PRESENTATION_SWITCH = "presentation_switch"  # the toggle's own copy
LEAVE_PRESENTATION = "leave_presentation"  # the "leave" button's key (the wall's CSS places it by its key)
SAMPLE = "sample"  # the sample centre's file name, when a sample is shown
UPLOAD = "upload"  # the user's files (``InputFile``s), when they are shown
UPLOAD_ERROR = "upload_error"  # why the last files given could not be read
UPLOAD_REPLACED = "upload_replaced"  # (file shown, [files it replaced]): two workbooks given at once
UPLOADER = "uploader"  # the Accueil file uploader's own state (the files it holds)
INCOMING_FILES = "incoming_files"  # files handed over without the uploader (tests, integrations)
LAST_INCOMING = "last_incoming"  # names and sizes of the last files taken, so a rerun takes them once
EDITED_RAW = "edited_raw"  # the workbook as edited on the Saisie page
EDIT_VERSION = "edit_version"  # counts the edits, so that their analysis is redone once per edit
EDITED_ANALYSIS = "edited_analysis"  # (edit version, analysis of the edited workbook)
MAP_LAYOUT = "map_layout"  # the map's kept positions, per centre and per screen
MAP_STEP = "map_step"  # the step shown by the step-by-step mode on a wall
ANONYMISE = "anonymise"  # the Comparer's anonymisation switch
COMPARER_UPLOADS = "comparer_uploads"  # the Comparer uploader's key (changed to empty it)
COMPARER_SAID = "comparer_said"  # what the Comparer's last import said
COMPARER_FEDERATION = "comparer_federation"  # the Comparer's federation list box (the samples choose theirs)
EVOLUTION_YEAR = "evolution_year"  # the one year the Évolution page shows (slider, map, caption, cards)
EVOLUTION_REPLAY = "evolution_replay"  # the Évolution page replays its years, one after another
EVOLUTION_TICKED = "evolution_ticked"  # the replay's clock has seen the page drawn for the year shown
EVOLUTION_CENTRE = "evolution_centre"  # the centre the Évolution page was asked to show (a sample just added)
WORKSHOP = "workshop"  # the join code of the workshop this facilitator works in (also in the address bar)
WORKSHOP_CLOSED = "workshop_closed"  # the version a workshop just closed into, to offer its exports
WORKSHOP_REJECTING = "workshop_rejecting"  # "Tout refuser" asked: the last proposal id it would refuse, to confirm
WORKSHOP_RELEASING = "workshop_releasing"  # freeing the places of phones with nothing accepted asked, to confirm
WORKSHOP_FREED = "workshop_freed"  # how many places the facilitator just freed, said once
PARTICIPANT_SENT = "participant_sent"  # how many proposals this phone sent (its own counter)
PARTICIPANT_SAID = "participant_said"  # what the phone's last proposal did, said once after the new form
PARTICIPANT_FORM = "participant_form"  # counts the phone's forms: a proposal taken, the next form is empty
PARTICIPANT_ROOM = "participant_room"  # the room this phone joined, to keep its form while the database is down
PARTICIPANT_JOIN_REFUSED = "participant_join_refused"  # why the code typed was refused, said once over its field
PARTICIPANT_SCROLLS = "participant_scrolls"  # how many times the phone's page scrolled to what it said
WORKSHOP_SAID = "workshop_said"  # why the last workshop edit was not taken, said once
DRAFT_SAID = "draft_said"  # why a reload brought the files back without their edits, said once
OPENED_VERSION = "opened_version"  # the stored version the dashboard shows, when one was opened (for the audit log)
MEMBERS_SAID = "members_said"  # what the Membres page's last change said
FACILITATOR_KEY = "facilitator_key"  # the pass made from the facilitator's key, once this session gave it
NOT_HERE = "not_here"  # the address a visitor asked for and may not open here, said once on the page shown instead
DRAFT_CHECKED = "draft_checked"  # this session looked for its person's draft once (a reload brings the work back)
DRAFT_RESTORED = "draft_restored"  # the draft just brought back, said once on the page shown
DRAFT_TAB = "draft_tab"  # this tab's key for its draft, kept in the address (?brouillon=) so that a reload finds it
SAISIE_SAID = "saisie_said"  # what the last quick add did, said once after the page is drawn again

# The address's parameters: part of every address of the app that people bookmark, print
# (``make workshop``) or scan (the room's QR code), so their French names stay as they are.
PRESENTATION_PARAM = "presentation"  # ?presentation=1: a wall reloaded stays a wall
LANG_PARAM = "langue"  # ?langue=en: a page reloaded (F5), or its address shared, keeps its language
PRESENTATION_ON = "1"  # the value that turns it on
FACILITATOR_KEY_PARAM = "animateur"  # ?animateur=KEY: the room's facilitator key
WORKSHOP_PARAM = "atelier"  # ?atelier=CODE: the workshop a facilitator's session works in
JOIN_CODE_PARAM = "code"  # ?code=CODE: a participant's join link (the phones' form and wall)
PARTICIPANT_PARAM = "p"  # ?p=TOKEN: a phone's own key, the same participant after a refresh
DRAFT_PARAM = "brouillon"  # ?brouillon=TAB: this tab's draft, found again by a reload
VERSION_PARAM = "version"  # ?version=ID on Comparer: a link that opens a stored version
SAISIE_TAB_PARAM = "onglet"  # ?onglet=Flux on Saisie: the table shown, kept by a reload (the tabs' own key)
