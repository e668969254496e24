//! The TUI's state machine, driven by messages without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::datetime;
use ztharden::cloud::ReadEvent;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::tui::state::Selected;
use ztharden::tui::{Effect, Focus, Msg, Scanned, State, Theme, View, update};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn press(state: &mut State, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| update(state, key(KeyCode::Char(c))))
        .collect()
}

fn done(generation: u64, result: Result<Scanned, &str>) -> Msg {
    Msg::ScanDone {
        generation,
        result: result.map(Box::new).map_err(str::to_string),
        finished_at: datetime!(2026-05-01 09:30:00 UTC),
    }
}

fn lab() -> Scanned {
    Scanned::new(SandboxCloud::lab_posture())
}

/// A state with the lab scanned, at 120x36.
fn scanned() -> State {
    let mut state = State::new("SANDBOX", Theme::default());
    state.size = (120, 36);
    assert_eq!(
        update(&mut state, Msg::Refresh),
        [Effect::StartScan { generation: 1 }]
    );
    update(&mut state, done(1, Ok(lab())));
    state
}

fn selected_api(state: &State) -> String {
    match state.selection() {
        Some(Selected::Api(_, api)) => api.name.clone(),
        other => panic!("expected an API selected, got {other:?}"),
    }
}

#[test]
fn the_first_scan_starts_at_once_and_shows_its_progress() {
    let mut state = State::new("SANDBOX", Theme::default());
    assert_eq!(
        update(&mut state, Msg::Refresh),
        [Effect::StartScan { generation: 1 }]
    );
    assert!(state.scanning.is_some());
    update(
        &mut state,
        Msg::ScanProgress {
            generation: 1,
            event: ReadEvent::Started("REST APIs".into()),
        },
    );
    assert_eq!(
        state.scanning.as_ref().unwrap().current(),
        Some("REST APIs")
    );
    update(&mut state, done(1, Ok(lab())));
    assert!(state.scanning.is_none());
    assert_eq!(state.refreshed_at, Some(datetime!(2026-05-01 09:30:00 UTC)));
    assert_eq!(selected_api(&state), "inventory");
}

#[test]
fn j_k_and_arrows_move_within_the_list() {
    let mut state = scanned();
    press(&mut state, "j");
    assert_eq!(selected_api(&state), "orders");
    update(&mut state, key(KeyCode::Down));
    assert_eq!(selected_api(&state), "status");
    press(&mut state, "jjj");
    assert_eq!(selected_api(&state), "status", "stops at the last item");
    update(&mut state, key(KeyCode::Up));
    assert_eq!(selected_api(&state), "orders");
    press(&mut state, "kkk");
    assert_eq!(selected_api(&state), "inventory", "stops at the first item");
    press(&mut state, "G");
    assert_eq!(selected_api(&state), "status");
    press(&mut state, "g");
    assert_eq!(selected_api(&state), "inventory");
}

#[test]
fn tab_switches_views_and_each_view_keeps_its_selection() {
    let mut state = scanned();
    press(&mut state, "j");
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.view, View::Endpoints);
    assert!(
        matches!(state.selection(), Some(Selected::Endpoint(e)) if e.id == "vpce-0e9e9e9e9e9e9e9e9")
    );
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.view, View::Groups);
    press(&mut state, "j");
    assert!(matches!(state.selection(), Some(Selected::Group(g)) if g.name == "service-c"));
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.view, View::Apis);
    assert_eq!(selected_api(&state), "orders");
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!(state.view, View::Groups);
    press(&mut state, "2");
    assert_eq!(state.view, View::Endpoints);
    press(&mut state, "1");
    assert_eq!(state.view, View::Apis);
}

#[test]
fn enter_drills_into_the_detail_which_scrolls_and_esc_goes_back() {
    let mut state = scanned();
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.focus, Focus::Detail);
    assert_eq!(state.detail_scroll, 0);
    press(&mut state, "jj");
    assert_eq!(state.detail_scroll, 2, "j scrolls the detail, not the list");
    assert_eq!(selected_api(&state), "inventory");
    press(&mut state, "k");
    assert_eq!(state.detail_scroll, 1);
    update(&mut state, key(KeyCode::PageDown));
    assert!(
        state.detail_scroll > 10,
        "a page is most of the pane: {}",
        state.detail_scroll
    );
    press(&mut state, "G");
    let bottom = state.detail_scroll;
    press(&mut state, "jjj");
    assert_eq!(
        state.detail_scroll, bottom,
        "scrolling stops at the end of the detail"
    );
    assert!(bottom > 0);
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.focus, Focus::List);
    press(&mut state, "j");
    assert_eq!(selected_api(&state), "orders");
}

#[test]
fn a_resize_keeps_the_detail_scroll_in_range() {
    let mut state = scanned();
    update(&mut state, key(KeyCode::Enter));
    press(&mut state, "G");
    let at_36 = state.detail_scroll;
    update(
        &mut state,
        Msg::Resize {
            width: 120,
            height: 200,
        },
    );
    assert!(
        state.detail_scroll < at_36,
        "a taller pane needs less scrolling"
    );
}

#[test]
fn the_filter_narrows_the_list_by_name_or_id() {
    let mut state = scanned();
    press(&mut state, "/");
    assert!(state.editing_filter);
    press(&mut state, "INV");
    assert_eq!(state.visible(View::Apis).len(), 1);
    assert_eq!(selected_api(&state), "inventory");
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Backspace));
    press(&mut state, "k1l2");
    assert_eq!(selected_api(&state), "status", "ids match too");
    update(&mut state, key(KeyCode::Enter));
    assert!(!state.editing_filter);
    assert_eq!(state.filter(), "k1l2", "Enter keeps the filter");
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(
        state.visible(View::Endpoints).len(),
        1,
        "each view has its own filter"
    );
    update(&mut state, key(KeyCode::BackTab));
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.filter(), "", "Esc in the list clears the filter");
    assert_eq!(state.visible(View::Apis).len(), 3);
}

#[test]
fn keys_typed_into_the_filter_are_text_not_commands() {
    let mut state = scanned();
    press(&mut state, "/");
    assert!(
        press(&mut state, "qr?").is_empty(),
        "q, r and ? are typed, not run"
    );
    assert_eq!(state.filter(), "qr?");
    assert!(!state.help);
    assert_eq!(state.visible(View::Apis).len(), 0);
    update(&mut state, key(KeyCode::Esc));
    assert!(!state.editing_filter);
    assert_eq!(state.filter(), "", "Esc while typing clears the filter");
    press(&mut state, "/");
    assert_eq!(
        update(&mut state, ctrl('c')),
        [Effect::Quit],
        "Ctrl-C always quits"
    );
}

#[test]
fn a_stale_scan_result_is_dropped() {
    let mut state = State::new("SANDBOX", Theme::default());
    update(&mut state, Msg::Refresh);
    assert_eq!(
        press(&mut state, "r"),
        [Effect::StartScan { generation: 2 }]
    );
    update(
        &mut state,
        Msg::ScanProgress {
            generation: 1,
            event: ReadEvent::Started("from the old scan".into()),
        },
    );
    assert_eq!(
        state.scanning.as_ref().unwrap().current(),
        None,
        "old progress is dropped"
    );
    update(&mut state, done(1, Err("old failure")));
    assert!(state.error.is_none(), "the old scan's failure is dropped");
    update(&mut state, done(1, Ok(lab())));
    assert!(state.data.is_none(), "the old scan's result is dropped");
    assert!(state.scanning.is_some(), "the newer scan is still awaited");
    update(&mut state, done(2, Ok(lab())));
    assert!(state.data.is_some());
    assert!(state.scanning.is_none());
}

#[test]
fn a_failed_scan_is_shown_and_r_retries() {
    let mut state = State::new("profile prod", Theme::default());
    update(&mut state, Msg::Refresh);
    update(
        &mut state,
        done(
            1,
            Err("GetRestApis failed: expired token; check your credentials"),
        ),
    );
    assert!(state.scanning.is_none());
    assert_eq!(
        state.error.as_deref(),
        Some("GetRestApis failed: expired token; check your credentials")
    );
    assert_eq!(
        press(&mut state, "r"),
        [Effect::StartScan { generation: 2 }]
    );
    assert!(
        state.error.is_none(),
        "a retry clears the old error while it runs"
    );
    update(&mut state, done(2, Ok(lab())));
    assert!(state.error.is_none());
    assert_eq!(selected_api(&state), "inventory");
}

#[test]
fn a_failed_refresh_keeps_the_last_good_data() {
    let mut state = scanned();
    press(&mut state, "j");
    press(&mut state, "r");
    update(&mut state, done(2, Err("throttled")));
    assert_eq!(state.error.as_deref(), Some("throttled"));
    assert_eq!(selected_api(&state), "orders");
    assert_eq!(state.refreshed_at, Some(datetime!(2026-05-01 09:30:00 UTC)));
}

#[test]
fn a_refresh_keeps_the_selection_on_the_same_item() {
    let mut state = scanned();
    press(&mut state, "j");
    assert_eq!(selected_api(&state), "orders");
    let mut posture = SandboxCloud::lab_posture();
    posture.apis.reverse();
    press(&mut state, "r");
    update(&mut state, done(2, Ok(Scanned::new(posture))));
    assert_eq!(selected_api(&state), "orders");
    assert_eq!(state.selected[0], 1);
    let mut posture = SandboxCloud::lab_posture();
    posture.apis.retain(|a| a.name == "inventory");
    press(&mut state, "r");
    update(&mut state, done(3, Ok(Scanned::new(posture))));
    assert_eq!(
        selected_api(&state),
        "inventory",
        "a vanished item leaves the selection in range"
    );
}

#[test]
fn help_opens_and_closes_and_q_quits() {
    let mut state = scanned();
    press(&mut state, "?");
    assert!(state.help);
    assert!(press(&mut state, "j").is_empty());
    assert_eq!(
        selected_api(&state),
        "inventory",
        "keys do not reach the list under the help"
    );
    update(&mut state, key(KeyCode::Esc));
    assert!(!state.help);
    press(&mut state, "?");
    press(&mut state, "?");
    assert!(!state.help);
    press(&mut state, "?");
    assert_eq!(press(&mut state, "q"), [Effect::Quit]);
    assert_eq!(press(&mut scanned(), "q"), [Effect::Quit]);
    assert_eq!(update(&mut scanned(), ctrl('c')), [Effect::Quit]);
}

#[test]
fn enter_does_nothing_when_nothing_is_selected() {
    let mut state = State::new("SANDBOX", Theme::default());
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.focus, Focus::List);
    let mut state = scanned();
    press(&mut state, "/");
    press(&mut state, "nothing-matches");
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.focus, Focus::List);
}
