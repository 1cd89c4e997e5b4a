//! The one place that decides a request's client address. Every per-address control uses it:
//! request-rate limits, login throttling, the API-key and bearer-token failure records, the
//! referral same-address rule, `/metrics` access and the audit log.
//!
//! Forwarded headers are read only when `MUSABAQATI_TRUST_PROXY` is on *and* the TCP peer is one
//! of `MUSABAQATI_TRUSTED_PROXIES`. The chain is then walked from the right (the entry the
//! nearest proxy added) past every trusted hop; the first address that is not a trusted proxy is
//! the client. Entries to its left were written by the client or by hops nobody vouches for, so
//! they are never used. `X-Forwarded-For` is read when present, `Forwarded: for=` (RFC 7239)
//! only when it is absent: a proxy in front must set `X-Forwarded-For` (deploy/nginx.conf does).

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::{HeaderMap, HeaderName};
use actix_web::{web, HttpRequest};
use ipnet::IpNet;

use crate::state::AppState;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const FORWARDED: HeaderName = HeaderName::from_static("forwarded");

/// Loopback: a proxy on the same host (and the test servers' clients).
pub const DEFAULT_TRUSTED_PROXIES: &str = "127.0.0.0/8,::1";

/// Parses a comma-separated list of addresses and CIDR blocks (`10.0.0.0/8, ::1`); a bare
/// address is a single-host block. IPv4-mapped IPv6 blocks are stored as IPv4.
pub fn parse_networks(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| format!("{item:?} is neither an IP address nor a CIDR block"))
        })
        .collect()
}

/// Whether `ip` lies in one of `networks` (an IPv4-mapped IPv6 address counts as its IPv4).
pub fn in_networks(networks: &[IpNet], ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    networks.iter().any(|net| net.contains(&ip))
}

/// The client address of a connection from `peer` carrying `headers`. `trusted` is `None` when
/// forwarded headers are never read (no proxy in front); `None` comes back only without a peer
/// (requests built in unit tests).
pub fn client_addr(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: Option<&[IpNet]>,
) -> Option<IpAddr> {
    let peer = peer.map(|ip| ip.to_canonical());
    let (Some(peer_ip), Some(trusted)) = (peer, trusted) else {
        return peer;
    };
    if !in_networks(trusted, peer_ip) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    // Walking left from the peer: each trusted hop vouches for the entry before it.
    let mut client = peer_ip;
    for entry in chain.iter().rev() {
        let Some(ip) = parse_node(entry) else {
            // Garbage where an address should be: nothing further left can be believed.
            break;
        };
        client = ip;
        if !in_networks(trusted, ip) {
            break;
        }
    }
    Some(client)
}

/// The forwarded chain, leftmost (the claimed origin) first: every `X-Forwarded-For` value in
/// order, or when there is none the `for=` of every `Forwarded` element.
fn forwarded_chain(headers: &HeaderMap) -> Vec<&str> {
    let values = |name: &HeaderName| {
        headers
            .get_all(name)
            .map(|value| value.to_str().unwrap_or(""))
            .collect::<Vec<_>>()
    };
    let xff = values(&X_FORWARDED_FOR);
    if !xff.is_empty() {
        return xff
            .into_iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
    }
    values(&FORWARDED)
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                .map_or("", |(_, value)| value.trim().trim_matches('"'))
        })
        .collect()
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
/// Obfuscated identifiers (`unknown`, `_hidden`) are not addresses.
fn parse_node(node: &str) -> Option<IpAddr> {
    let ip = node
        .parse::<IpAddr>()
        .ok()
        .or_else(|| node.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            node.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse::<IpAddr>().ok())
        })?;
    Some(ip.to_canonical())
}

/// The client address of a request as text (`unknown` without a peer), by the settings in the
/// application state.
pub fn of_request(req: &HttpRequest) -> String {
    let state = req.app_data::<web::Data<AppState>>();
    let trusted = state.and_then(|s| s.settings.forwarded_from());
    client_addr(req.peer_addr().map(|a| a.ip()), req.headers(), trusted)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use actix_web::http::header::HeaderValue;

    type Headers = [(&'static str, &'static str)];
    /// (what, headers, trusted proxies, peer, expected client).
    type Case<'a> = (&'a str, &'a Headers, &'a [IpNet], &'a str, &'a str);

    fn headers(pairs: &Headers) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_rightmost_untrusted_entry_from_a_trusted_peer_is_the_client() {
        let loopback = parse_networks(DEFAULT_TRUSTED_PROXIES).unwrap();
        let internal = parse_networks("127.0.0.1, 10.0.0.0/8, fd00::/8").unwrap();
        let cases: &[Case<'_>] = &[
            (
                "no header: the peer",
                &[],
                &loopback,
                "127.0.0.1",
                "127.0.0.1",
            ),
            (
                "a single entry",
                &[("x-forwarded-for", "203.0.113.7")],
                &loopback,
                "127.0.0.1",
                "203.0.113.7",
            ),
            (
                "a forged first entry is skipped",
                &[("x-forwarded-for", "6.6.6.6, 203.0.113.7")],
                &loopback,
                "127.0.0.1",
                "203.0.113.7",
            ),
            (
                "repeated headers form one chain",
                &[
                    ("x-forwarded-for", "6.6.6.6"),
                    ("x-forwarded-for", "203.0.113.7"),
                ],
                &loopback,
                "127.0.0.1",
                "203.0.113.7",
            ),
            (
                "trusted internal hops are walked past",
                &[(
                    "x-forwarded-for",
                    "6.6.6.6, 203.0.113.7, 10.1.2.3, 10.9.9.9",
                )],
                &internal,
                "10.0.0.2",
                "203.0.113.7",
            ),
            (
                "an untrusted peer's headers are ignored",
                &[("x-forwarded-for", "203.0.113.7")],
                &internal,
                "192.0.2.1",
                "192.0.2.1",
            ),
            (
                "garbage stops the walk at the last trusted hop",
                &[("x-forwarded-for", "203.0.113.7, unknown, 10.1.2.3")],
                &internal,
                "127.0.0.1",
                "10.1.2.3",
            ),
            (
                "ports and IPv6 brackets are stripped",
                &[("x-forwarded-for", "6.6.6.6, [2001:db8::5]:4711")],
                &loopback,
                "::1",
                "2001:db8::5",
            ),
            (
                "Forwarded for= when there is no X-Forwarded-For",
                &[(
                    "forwarded",
                    "for=6.6.6.6;proto=https, for=\"[2001:db8::9]:80\";by=10.0.0.1",
                )],
                &loopback,
                "127.0.0.1",
                "2001:db8::9",
            ),
            (
                "X-Forwarded-For wins over Forwarded",
                &[
                    ("forwarded", "for=6.6.6.6"),
                    ("x-forwarded-for", "203.0.113.7"),
                ],
                &loopback,
                "127.0.0.1",
                "203.0.113.7",
            ),
            (
                "an IPv4-mapped peer is its IPv4 address",
                &[("x-forwarded-for", "203.0.113.7")],
                &loopback,
                "::ffff:127.0.0.1",
                "203.0.113.7",
            ),
            (
                "a chain of trusted hops only: the leftmost",
                &[("x-forwarded-for", "10.0.0.7, 10.0.0.8")],
                &internal,
                "127.0.0.1",
                "10.0.0.7",
            ),
        ];
        for (what, pairs, trusted, peer, expected) in cases {
            let got = client_addr(Some(ip(peer)), &headers(pairs), Some(trusted));
            assert_eq!(got, Some(ip(expected)), "{what}");
        }
    }

    #[test]
    fn without_trust_the_headers_are_never_read() {
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(
            client_addr(Some(ip("127.0.0.1")), &h, None),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(client_addr(None, &h, Some(&[])), None);
    }

    #[test]
    fn network_lists_parse_addresses_and_blocks_and_refuse_garbage() {
        let nets = parse_networks(" 127.0.0.0/8 , ::1,192.0.2.10,10.1.2.3/8 ").unwrap();
        assert_eq!(nets.len(), 4);
        assert!(in_networks(&nets, ip("127.1.2.3")));
        assert!(in_networks(&nets, ip("::1")));
        assert!(in_networks(&nets, ip("192.0.2.10")));
        assert!(!in_networks(&nets, ip("192.0.2.11")));
        // Host bits are dropped: 10.1.2.3/8 is 10.0.0.0/8.
        assert!(in_networks(&nets, ip("10.200.0.1")));
        assert!(parse_networks("").unwrap().is_empty());
        assert!(parse_networks("10.0.0.0/33").is_err());
        assert!(parse_networks("nginx").is_err());
    }
}
