//! The P2S address pool and its SSTP/IKEv2 split (spec §4).
//!
//! With both SSTP and IKEv2 enabled the gateway splits the pool statically and offers the two
//! parts as separate traffic selectors. Pools up to 256 addresses are halved; SSTP never has more
//! than 128 clients, so a larger pool gives SSTP the first 128 addresses and IKEv2 the rest (the
//! rest emitted as its minimal CIDR cover). Which half goes to which protocol is not documented;
//! p2s-sim gives SSTP the lower half, matching the gateway log in spec §2.

use crate::model::{P2s, TunnelType};
use crate::prefix::IpNet;

/// Addresses SSTP gets at most (spec §3, §4).
pub const SSTP_MAX_CLIENTS: u32 = 128;

/// The pool as the gateway offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolView {
    /// The configured prefixes.
    pub prefixes: Vec<IpNet>,
    /// `Some` when SSTP and IKEv2 are both enabled.
    pub split: Option<PoolSplit>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSplit {
    pub sstp: Vec<IpNet>,
    pub ikev2: Vec<IpNet>,
    /// The pool is larger than the documented cases (/24 and smaller), or has several prefixes.
    pub undocumented: bool,
}

impl PoolView {
    pub fn of(p2s: &P2s) -> PoolView {
        let prefixes = p2s.address_pool.clone();
        let split = (p2s.has(TunnelType::Sstp) && p2s.has(TunnelType::IkeV2)).then(|| {
            let mut sstp = Vec::new();
            let mut ikev2 = Vec::new();
            let mut undocumented = prefixes.len() > 1;
            for prefix in &prefixes {
                let (s, i, large) = split_prefix(prefix);
                sstp.extend(s);
                ikev2.extend(i);
                undocumented |= large;
            }
            PoolSplit {
                sstp,
                ikev2,
                undocumented,
            }
        });
        PoolView { prefixes, split }
    }

    /// The pool entries the gateway offers as routes and selectors: the two parts when split.
    pub fn entries(&self) -> Vec<IpNet> {
        match &self.split {
            Some(s) => s.sstp.iter().chain(&s.ikev2).copied().collect(),
            None => self.prefixes.clone(),
        }
    }
}

/// Host bits of a prefix: log2 of its address count.
fn host_bits(prefix: &IpNet) -> u8 {
    prefix.max_prefix_len() - prefix.prefix_len()
}

/// SSTP part, IKEv2 part, and whether the rule used is undocumented (pool above 256 addresses).
fn split_prefix(prefix: &IpNet) -> (Vec<IpNet>, Vec<IpNet>, bool) {
    let bits = host_bits(prefix);
    if bits == 0 {
        // One address cannot be split; Azure requires /29 or larger anyway (a finding says so).
        return (vec![*prefix], Vec::new(), false);
    }
    let sstp_bits = SSTP_MAX_CLIENTS.trailing_zeros() as u8; // 7: a /25 in IPv4
    if bits <= sstp_bits + 1 {
        let mut halves = prefix
            .subnets(prefix.prefix_len() + 1)
            .expect("one bit longer is valid");
        let low = halves.next().expect("two halves");
        let high = halves.next().expect("two halves");
        return (vec![low], vec![high], false);
    }
    let sstp_len = prefix.max_prefix_len() - sstp_bits;
    let sstp = IpNet::new(prefix.network(), sstp_len).expect("valid length");
    // The rest of the prefix after its first block: the other half of every level below the top,
    // i.e. the sibling of each ancestor of the SSTP block, which is its minimal CIDR cover.
    let mut rest = Vec::new();
    for len in (prefix.prefix_len() + 1..=sstp_len).rev() {
        let block = IpNet::new(prefix.network(), len).expect("valid length");
        let sibling = block
            .supernet()
            .expect("len > 0")
            .subnets(len)
            .expect("valid")
            .nth(1)
            .expect("two children");
        rest.push(sibling);
    }
    rest.sort_unstable();
    (vec![sstp], rest, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AuthType;

    fn p(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn pool(prefixes: &[&str], tunnels: &[TunnelType]) -> PoolView {
        PoolView::of(&P2s {
            address_pool: prefixes.iter().map(|s| p(s)).collect(),
            tunnel_types: tunnels.to_vec(),
            auth_types: vec![AuthType::Certificate],
        })
    }

    const BOTH: &[TunnelType] = &[TunnelType::IkeV2, TunnelType::Sstp];

    #[test]
    fn slash_24_and_26_are_halved() {
        let v = pool(&["172.16.0.0/24"], BOTH);
        let s = v.split.clone().unwrap();
        assert_eq!(s.sstp, vec![p("172.16.0.0/25")]);
        assert_eq!(s.ikev2, vec![p("172.16.0.128/25")]);
        assert!(!s.undocumented);
        let s = pool(&["10.9.0.64/26"], BOTH).split.unwrap();
        assert_eq!(
            (s.sstp, s.ikev2),
            (vec![p("10.9.0.64/27")], vec![p("10.9.0.96/27")])
        );
    }

    #[test]
    fn larger_pools_give_sstp_128_addresses_and_ikev2_the_rest() {
        let s = pool(&["10.0.0.0/22"], BOTH).split.unwrap();
        assert_eq!(s.sstp, vec![p("10.0.0.0/25")]);
        assert_eq!(
            s.ikev2,
            vec![p("10.0.0.128/25"), p("10.0.1.0/24"), p("10.0.2.0/23")]
        );
        assert!(s.undocumented);
    }

    #[test]
    fn no_split_without_both_protocols() {
        let v = pool(
            &["172.16.0.0/24"],
            &[TunnelType::IkeV2, TunnelType::OpenVpn],
        );
        assert_eq!(v.split, None);
        assert_eq!(v.entries(), vec![p("172.16.0.0/24")]);
    }
}
