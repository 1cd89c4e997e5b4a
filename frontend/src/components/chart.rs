//! The balance-over-time chart and the bar charts of the admin area, drawn as inline SVG (no
//! chart library: one line and one area, or one rect per bar).
//!
//! The SVG stretches to its box (`preserveAspectRatio="none"`, strokes that do not scale), so it
//! fits any width; the axis labels are HTML around it and stay readable on phones. Time runs
//! right to left like the text: the oldest day is on the right, today on the left.

use domain::points::BalancePoint;
use leptos::prelude::*;

use crate::format::Fmt;
use crate::i18n;

const W: f64 = 1000.0;
const H: f64 = 300.0;

/// The smallest 1, 2 or 5 × 10ⁿ at or above `value` (a round top for the axis).
pub fn nice_ceiling(value: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= value {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

#[component]
pub fn BalanceChart(points: Vec<BalancePoint>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let n = points.len();
    if n == 0 {
        return view! { <p class="empty-line">{i18n::CHART_EMPTY}</p> }.into_any();
    }
    let top = nice_ceiling(points.iter().map(|p| p.balance).max().unwrap_or(0).max(1));
    // x from the right edge (oldest) to the left edge (today).
    let xy = |i: usize, balance: i64| {
        let x = if n == 1 {
            0.0
        } else {
            W * (1.0 - i as f64 / (n - 1) as f64)
        };
        let y = H - (balance.max(0) as f64 / top as f64) * H;
        (x, y)
    };
    let mut line = String::with_capacity(n * 16);
    for (i, p) in points.iter().enumerate() {
        let (x, y) = xy(i, p.balance);
        line.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { 'M' } else { 'L' }));
    }
    let area = format!("{line}L0,{H}L{W},{H}Z");
    let grid: String = [0.0, 0.5, 1.0]
        .iter()
        .map(|f| format!(r#"<path class="chart-grid" d="M0,{y:.1}H{W}"/>"#, y = H * f))
        .collect();
    let svg = format!(
        r#"<svg viewBox="0 0 {W} {H}" preserveAspectRatio="none" focusable="false">{grid}<path class="chart-area" d="{area}"/><path class="chart-line" d="{line}"/></svg>"#
    );
    let last = &points[n - 1];
    let (lx, ly) = xy(n - 1, last.balance);
    let dot_style = format!("left:{:.2}%;top:{:.2}%", lx / W * 100.0, ly / H * 100.0);
    let (first_date, first_balance) = (points[0].date, points[0].balance);
    let middle = points[n / 2].date;
    let last_balance = last.balance;
    let days = n;
    // One closure for the whole figure: the labels follow the digits setting together.
    (move || {
        let summary = i18n::chart_summary(
            &fmt.count(days),
            &fmt.int(first_balance),
            &fmt.int(last_balance),
        );
        view! {
            <figure class="chart" aria-label=summary>
                <div class="chart-body">
                    <div class="chart-y" aria-hidden="true">
                        <span>{fmt.int(top)}</span>
                        <span>{fmt.int(top / 2)}</span>
                        <span>{fmt.int(0)}</span>
                    </div>
                    <div class="chart-plot" aria-hidden="true">
                        <div class="chart-svg" inner_html=svg.clone()></div>
                        <span class="chart-dot" style=dot_style.clone()></span>
                    </div>
                </div>
                <div class="chart-x" aria-hidden="true">
                    <span>{fmt.day_month(&first_date)}</span>
                    <span>{fmt.day_month(&middle)}</span>
                    <span>{i18n::TODAY}</span>
                </div>
            </figure>
        }
    })
    .into_any()
}

/// Bars for a series (oldest first) on a 300×100 canvas that stretches to its box, with an
/// optional second series drawn over the first in its own colour (errors over calls). Like the
/// text, time runs right to left: the oldest bar is on the right.
pub fn bars_svg(values: &[i64], overlay: &[i64], top: i64) -> String {
    let n = values.len().max(1) as f64;
    let w = 300.0 / n;
    let top = top.max(1) as f64;
    let mut bars = String::with_capacity(values.len() * 80);
    for (i, series) in [values, overlay].into_iter().enumerate() {
        let class = if i == 0 { "bar" } else { "bar bar-over" };
        for (j, v) in series.iter().enumerate().filter(|(_, v)| **v > 0) {
            let h = (*v as f64 / top * 100.0).max(2.0);
            let x = 300.0 - (j as f64 + 1.0) * w + w * 0.15;
            bars.push_str(&format!(
                r#"<rect class="{class}" x="{x:.2}" y="{:.2}" width="{:.2}" height="{h:.2}" rx="1"/>"#,
                100.0 - h,
                w * 0.7
            ));
        }
    }
    let grid: String = [0.0, 50.0, 100.0]
        .iter()
        .map(|y| format!(r#"<path class="chart-grid" d="M0,{y}H300"/>"#))
        .collect();
    format!(
        r#"<svg viewBox="0 0 300 100" preserveAspectRatio="none" focusable="false">{grid}{bars}</svg>"#
    )
}
