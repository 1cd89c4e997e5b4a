//! Inline SVG icons (24×24, stroked with `currentColor`), drawn for this app. Kept as strings and
//! inserted with `inner_html`: cheaper in WASM than building each path through the DOM API.

macro_rules! svg {
    ($body:literal) => {
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">"#,
            $body,
            "</svg>"
        )
    };
}

pub const HOME: &str =
    svg!(r#"<path d="M3 10.5 12 3l9 7.5"/><path d="M5 9.5V21h14V9.5"/><path d="M10 21v-6h4v6"/>"#);
pub const USER: &str =
    svg!(r#"<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>"#);
pub const USERS: &str = svg!(
    r#"<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6"/><path d="M16 4.5a3.5 3.5 0 0 1 0 7M18 14c2.2.6 3.5 2.9 3.5 6"/>"#
);
pub const SHIELD: &str =
    svg!(r#"<path d="M12 3 4 6v6c0 5 3.4 8.3 8 9 4.6-.7 8-4 8-9V6z"/><path d="m9 12 2 2 4-4"/>"#);
pub const COIN: &str = svg!(
    r#"<circle cx="12" cy="12" r="9"/><path d="m12 7.8 1.3 2.7 2.9.4-2.1 2 .5 2.9L12 14.4l-2.6 1.4.5-2.9-2.1-2 2.9-.4z"/>"#
);
pub const TROPHY: &str = svg!(
    r#"<path d="M8 21h8M12 17v4"/><path d="M7 4h10v5a5 5 0 0 1-10 0z"/><path d="M7 6H4v1a3 3 0 0 0 3 3M17 6h3v1a3 3 0 0 1-3 3"/>"#
);
pub const LOGOUT: &str = svg!(
    r#"<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3"/><path d="M10 17l-5-5 5-5M5 12h11"/>"#
);
pub const COPY: &str =
    svg!(r#"<rect x="9" y="9" width="11" height="11" rx="2"/><path d="M5 15V6a2 2 0 0 1 2-2h8"/>"#);
pub const CHECK: &str = svg!(r#"<path d="m5 12.5 4.5 4.5L19 7.5"/>"#);
pub const SEARCH: &str = svg!(r#"<circle cx="11" cy="11" r="7"/><path d="m20 20-4-4"/>"#);
pub const MONITOR: &str =
    svg!(r#"<rect x="3" y="4" width="18" height="12" rx="2"/><path d="M8 20h8M12 16v4"/>"#);
pub const PHONE: &str =
    svg!(r#"<rect x="7" y="2.5" width="10" height="19" rx="2.5"/><path d="M11 18h2"/>"#);
pub const GIFT: &str = svg!(
    r#"<rect x="3" y="8" width="18" height="4" rx="1"/><path d="M5 12v9h14v-9M12 8v13"/><path d="M12 8C10.5 5 7 4 6.5 6.5S9 8 12 8zm0 0c1.5-3 5-4 5.5-1.5S15 8 12 8z"/>"#
);
pub const SPARKLES: &str = svg!(
    r#"<path d="M11 3l1.8 4.7 4.7 1.8-4.7 1.8L11 16l-1.8-4.7L4.5 9.5l4.7-1.8z"/><path d="M18.5 14.5l.8 2.2 2.2.8-2.2.8-.8 2.2-.8-2.2-2.2-.8 2.2-.8z"/>"#
);
pub const EYE: &str = svg!(
    r#"<path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>"#
);
pub const EYE_OFF: &str = svg!(
    r#"<path d="M3 3l18 18"/><path d="M10.6 5.1A10.8 10.8 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-3.2 4M6.6 6.6C3.9 8.3 2 12 2 12s3.6 7 10 7c1.8 0 3.4-.5 4.8-1.3"/><path d="M9.9 9.9a3 3 0 0 0 4.2 4.2"/>"#
);
pub const CHEVRON_DOWN: &str = svg!(r#"<path d="m6 9 6 6 6-6"/>"#);
pub const CALENDAR: &str =
    svg!(r#"<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>"#);
pub const CLOCK: &str = svg!(r#"<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>"#);
pub const TRENDING: &str = svg!(r#"<path d="M3 17l6-6 4 4 8-8"/><path d="M15 7h6v6"/>"#);
pub const ALERT: &str =
    svg!(r#"<circle cx="12" cy="12" r="9"/><path d="M12 7.5V13M12 16.5v.01"/>"#);
pub const INFO: &str = svg!(r#"<circle cx="12" cy="12" r="9"/><path d="M12 11v5.5M12 7.5v.01"/>"#);
pub const LINK: &str = svg!(
    r#"<path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1"/><path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1"/>"#
);
pub const LIST: &str = svg!(r#"<path d="M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01"/>"#);
pub const KEY: &str =
    svg!(r#"<circle cx="8" cy="15" r="4"/><path d="m11 12 9-9M17 6l3 3M15 8l2 2"/>"#);
pub const SLIDERS: &str = svg!(
    r#"<path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12"/><circle cx="16" cy="6" r="2"/><circle cx="10" cy="12" r="2"/><circle cx="18" cy="18" r="2"/>"#
);
pub const ROTATE: &str = svg!(
    r#"<path d="M20 11a8 8 0 0 0-14.9-3.5M4 4v4h4"/><path d="M4 13a8 8 0 0 0 14.9 3.5M20 20v-4h-4"/>"#
);
pub const ARROW_BACK: &str = svg!(r#"<path d="M5 12h14M13 6l6 6-6 6"/>"#);

// ----- Competitions, points, leaderboards, notifications -----
pub const BELL: &str = svg!(
    r#"<path d="M6 9a6 6 0 0 1 12 0c0 5 2 6.5 2 6.5H4S6 14 6 9z"/><path d="M10 19a2 2 0 0 0 4 0"/>"#
);
pub const MEDAL: &str = svg!(
    r#"<path d="M8 3h8l-2 6h-4z"/><circle cx="12" cy="15" r="6"/><path d="m12 12.2.9 1.8 2 .3-1.45 1.4.35 2L12 16.8l-1.8.9.35-2-1.45-1.4 2-.3z"/>"#
);
pub const CLOSE: &str = svg!(r#"<path d="M6 6l12 12M18 6 6 18"/>"#);
pub const PLUS: &str = svg!(r#"<path d="M12 5v14M5 12h14"/>"#);
pub const TRASH: &str =
    svg!(r#"<path d="M4 7h16M10 11v6M14 11v6"/><path d="M6 7l1 13h10l1-13M9 7V4h6v3"/>"#);
pub const ARROW_UP: &str = svg!(r#"<path d="M12 19V5M6 11l6-6 6 6"/>"#);
pub const ARROW_DOWN: &str = svg!(r#"<path d="M12 5v14M6 13l6 6 6-6"/>"#);
pub const EDIT: &str = svg!(r#"<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>"#);
pub const SEND: &str = svg!(r#"<path d="M20 4 3 11l7 2.5L12.5 20z"/><path d="m10 13.5 4-4"/>"#);
pub const PLAY: &str = svg!(r#"<circle cx="12" cy="12" r="9"/><path d="m14.5 12-4 2.6V9.4z"/>"#);
pub const FLAG: &str = svg!(r#"<path d="M5 21V4"/><path d="M5 4h11l-2 4 2 4H5"/>"#);
pub const CHART: &str = svg!(r#"<path d="M4 4v16h16"/><path d="m7 14 4-4 3 3 5-6"/>"#);

// ----- Rewards, store -----
pub const BAG: &str = svg!(r#"<path d="M5 8h14l-1 13H6z"/><path d="M9 10V7a3 3 0 0 1 6 0v3"/>"#);
pub const MORE: &str = svg!(
    r#"<circle cx="5" cy="12" r="1.6"/><circle cx="12" cy="12" r="1.6"/><circle cx="19" cy="12" r="1.6"/>"#
);
