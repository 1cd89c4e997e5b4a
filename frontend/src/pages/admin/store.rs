//! Admin → point packages (table, create/edit, delete) and the purchases queue (filters, mark
//! paid with the payment reference, cancel, record a payment received directly).

use domain::packages::{
    minor_units, CancelPurchaseRequest, MarkPaidRequest, Package, PackageRequest, Purchase,
    PurchaseStatus, RecordPurchaseRequest, UpdatePackageRequest,
};
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::deep_link::DeepLink;
use super::package_warning::{PaymentDefaults, PaymentDefaultsWarning};
use super::rewards::search_box;
use super::{admin_table, TableSpec};
use crate::components::commerce::{
    find_user, money, money_input, parse_money, purchase_tag, upsert, ActionDialog,
};
use crate::components::kit::{self, load_more, tab_id, Modal, Paged, Tabs, TextArea};
use crate::components::{icons, Field, FormMessages, FormState, Icon, Notice, SubmitButton};
use crate::format::Fmt;
use crate::pages::rewards::status_filter;
use crate::{api, i18n};

const PACKAGES_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_PACKAGES,
    testid: "packages-table",
    class: "table",
    headers: &[
        i18n::PACKAGE,
        i18n::POINTS_FIELD,
        i18n::BONUS_FIELD,
        i18n::TOTAL,
        i18n::PRICE,
        i18n::ADMIN_COL_STATUS,
        i18n::SORT_ORDER,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_PACKAGES,
};

const PURCHASES_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_PURCHASES,
    testid: "purchases-table",
    class: "table",
    headers: &[
        i18n::REFERENCE,
        i18n::ADMIN_COL_USER,
        i18n::POINTS_FIELD,
        i18n::PRICE,
        i18n::REQUESTED_AT,
        i18n::ADMIN_COL_STATUS,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_PURCHASES_ADMIN,
};

#[component]
pub fn PackagesPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let list = RwSignal::new(None::<Result<Vec<Package>, crate::api::ApiError>>);
    let load = move || {
        spawn_local(
            async move { list.set(Some(api::store::admin_packages().await.map(|p| p.items))) },
        )
    };
    load();
    let editing = RwSignal::new(None::<Option<Package>>);
    let deleting = RwSignal::new(None::<Package>);
    // `&package=ID` opens that package's form once the list is in (reload, shared link, "back").
    let link = DeepLink::new("packages", "package");
    let missing = RwSignal::new(false);
    Effect::new(move |_| {
        let wanted = link.id();
        list.with(|l| match (wanted, l) {
            (Some(id), Some(Ok(items))) => {
                let found = items.iter().find(|p| p.id == id).cloned();
                missing.set(found.is_none());
                if found.is_some()
                    && editing.with_untracked(|e| e.as_ref().and_then(|p| p.as_ref().map(|p| p.id)))
                        != Some(id)
                {
                    editing.set(Some(found));
                }
            }
            (None, _) => {
                missing.set(false);
                if editing.with_untracked(|e| matches!(e, Some(Some(_)))) {
                    editing.set(None);
                }
            }
            _ => {}
        });
    });
    let close_form = Callback::new(move |_| {
        editing.set(None);
        link.close();
    });
    let row = move |p: Package| {
        let (points, bonus, total, order) =
            (p.points, p.bonus_points, p.total_points, p.sort_order);
        let price = (p.price_minor, p.currency.clone());
        let (for_edit, for_delete) = (p.clone(), p.clone());
        view! {
            <tr data-testid="admin-package-row">
                <td>
                    <div class="comp-cell">
                        <bdi class="strong" dir="auto">{p.name.clone()}</bdi>
                        {p.label.clone().map(|l| view! { <span class="tag tag-gold"><bdi>{l}</bdi></span> })}
                    </div>
                </td>
                <td class="num" data-label=i18n::POINTS_FIELD>{fmt.int(points)}</td>
                <td class="num" data-label=i18n::BONUS_FIELD>{fmt.int(bonus)}</td>
                <td class="num" data-label=i18n::TOTAL>{fmt.int(total)}</td>
                <td class="num nowrap" data-label=i18n::PRICE>{money(fmt, price.0, &price.1)}</td>
                <td data-label=i18n::ADMIN_COL_STATUS>
                    <span class=if p.active { "tag tag-green" } else { "tag" }>{if p.active { i18n::ACTIVE } else { i18n::HIDDEN }}</span>
                </td>
                <td class="num" data-label=i18n::SORT_ORDER>{fmt.int(order)}</td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    <button type="button" class="btn btn-soft btn-sm" data-testid="edit-package" on:click=move |_| link.open(for_edit.id)>
                        <Icon svg=icons::EDIT /><span>{i18n::EDIT}</span>
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| deleting.set(Some(for_delete.clone()))>
                        <Icon svg=icons::TRASH /><span>{i18n::DELETE}</span>
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <div class="panel-head">
                <p class="muted">{i18n::PACKAGES_HINT}</p>
                <button type="button" class="btn btn-primary" data-testid="new-package" on:click=move |_| editing.set(Some(None))>
                    <Icon svg=icons::PLUS /><span>{i18n::NEW_PACKAGE}</span>
                </button>
            </div>
            {move || missing.get().then(|| view! { <Notice message=i18n::CONSOLE_RECORD_MISSING.to_owned() kind="error" /> })}
            {move || admin_table(list.get(), fmt, &PACKAGES_TABLE, move |item| row(item).into_any())}
        </div>
        {move || editing.get().map(|p| view! {
            <PackageForm package=p on_close=close_form on_saved=Callback::new(move |_| load()) />
        })}
        {move || deleting.get().map(|p| {
            let form = FormState::new();
            let id = p.id;
            view! {
                <ActionDialog title=i18n::delete_package_title(&p.name) text=i18n::DELETE_PACKAGE_TEXT submit=i18n::CONFIRM_DELETE_PACKAGE
                    class="btn btn-danger" form=form on_close=Callback::new(move |_| deleting.set(None))
                    on_submit=Callback::new(move |_| {
                        form.start();
                        spawn_local(async move {
                            match api::store::delete_package(id).await {
                                Ok(()) => {
                                    deleting.set(None);
                                    load();
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                            form.pending.set(false);
                        });
                    }) />
            }
        })}
    }
}

#[component]
fn PackageForm(
    package: Option<Package>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let id = package.as_ref().map(|p| p.id);
    let p = package.as_ref();
    let text = |f: fn(&Package) -> String, default: &str| {
        RwSignal::new(p.map(f).unwrap_or_else(|| default.to_owned()))
    };
    let name = text(|p| p.name.clone(), "");
    let points = text(|p| p.points.to_string(), "");
    let bonus = text(|p| p.bonus_points.to_string(), "0");
    let currency = text(|p| p.currency.clone(), "SAR");
    let price = text(|p| money_input(p.price_minor, &p.currency), "");
    let label = text(|p| p.label.clone().unwrap_or_default(), "");
    let order = text(|p| p.sort_order.to_string(), "0");
    let active = RwSignal::new(p.is_none_or(|p| p.active));
    let was_active = p.is_some_and(|p| p.active);
    let payment = PaymentDefaults::load();
    // "25.00 SAR = 2500 in minor units", as the admin types.
    let preview = Signal::derive(move || {
        let cur = currency.get().trim().to_ascii_uppercase();
        match parse_money(&price.get(), &cur) {
            Some(minor) if cur.len() == 3 => fmt.text(&i18n::price_preview(
                &money(fmt, minor, &cur),
                &minor.to_string(),
            )),
            _ => fmt.text(&i18n::price_hint(minor_units(&cur))),
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let mut int = |field: &str, v: RwSignal<String>| {
            kit::parse_int(&v.get_untracked()).unwrap_or_else(|| {
                errors.insert(field.to_owned(), i18n::ERR_WHOLE_NUMBER.to_owned());
                0
            })
        };
        let (points, bonus_points, sort_order) = (
            int("points", points),
            int("bonus_points", bonus),
            int("sort_order", order),
        );
        let cur = currency.get_untracked().trim().to_ascii_uppercase();
        let price_minor = parse_money(&price.get_untracked(), &cur).unwrap_or_else(|| {
            errors.insert("price_minor".into(), i18n::ERR_PRICE.into());
            0
        });
        let label_text = label.get_untracked();
        let req = PackageRequest {
            name: name.get_untracked(),
            points,
            bonus_points,
            price_minor,
            currency: cur,
            active: active.get_untracked(),
            name_en: None,
            label: Some(label_text),
            sort_order,
        }
        .normalized();
        if let Err(rule_errors) = req.validate() {
            for (k, v) in rule_errors {
                errors.entry(k).or_insert(v);
            }
        }
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        if payment.must_ask(req.active, was_active) {
            return;
        }
        form.start();
        spawn_local(async move {
            let result = match id {
                None => api::store::create_package(&req).await.map(|_| ()),
                Some(id) => {
                    let patch = UpdatePackageRequest {
                        name: Some(req.name.clone()),
                        points: Some(req.points),
                        bonus_points: Some(req.bonus_points),
                        price_minor: Some(req.price_minor),
                        currency: Some(req.currency.clone()),
                        active: Some(req.active),
                        name_en: None,
                        label: Some(req.label.clone()),
                        sort_order: Some(req.sort_order),
                    };
                    api::store::update_package(id, &patch).await.map(|_| ())
                }
            };
            match result {
                Ok(()) => {
                    on_saved.run(());
                    on_close.run(());
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let hint = move |t: &'static str| Signal::derive(move || fmt.text(t));
    view! {
        <Modal title=if id.is_some() { i18n::EDIT_PACKAGE } else { i18n::NEW_PACKAGE } on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="package-form">
                <div class="form-grid">
                    <div class="span-2"><Field name="name" label=i18n::PACKAGE_NAME value=name form=form autofocus=true /></div>
                    <Field name="points" label=i18n::POINTS_FIELD value=points form=form dir="ltr" inputmode="numeric" />
                    <Field name="bonus_points" label=i18n::BONUS_FIELD value=bonus form=form dir="ltr" inputmode="numeric" />
                    <Field name="price_minor" label=i18n::PRICE_FIELD value=price form=form dir="ltr" inputmode="decimal" hint=preview />
                    <Field name="currency" label=i18n::CURRENCY_FIELD value=currency form=form dir="ltr" hint=hint(i18n::CURRENCY_HINT) />
                    <Field name="label" label=i18n::LABEL_FIELD value=label form=form hint=hint(i18n::LABEL_HINT) />
                    <Field name="sort_order" label=i18n::SORT_ORDER value=order form=form dir="ltr" inputmode="numeric" hint=hint(i18n::SORT_HINT) />
                    <label class="check span-2">
                        <input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                        <span>{i18n::PACKAGE_ACTIVE}</span>
                    </label>
                </div>
                <FormMessages form=form />
                <PaymentDefaultsWarning state=payment />
                <div class="actions">
                    <SubmitButton label=if id.is_some() { i18n::SAVE_CHANGES } else { i18n::CREATE_PACKAGE } pending_label=i18n::SAVING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}

// ----- Purchases -----

const PURCHASE_TABS: &[(&str, &str)] = &[
    ("requested", i18n::P_REQUESTED),
    ("paid", i18n::P_PAID),
    ("cancelled", i18n::P_CANCELLED),
    ("all", i18n::FILTER_ALL),
];

#[derive(Clone)]
enum Dialog {
    Paid(Purchase),
    Cancel(Purchase),
    Record,
}

#[component]
pub fn PurchasesPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    // `&reference=MQ-…` (a purchase's address, e.g. from the audit log) finds it in any status.
    let linked = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("reference"))
        .filter(|r| !r.trim().is_empty());
    let tab = RwSignal::new(if linked.is_some() {
        PURCHASE_TABS.len() - 1
    } else {
        0
    });
    let reference = RwSignal::new(linked.unwrap_or_default());
    let paged = Paged::<Purchase>::new();
    let dialog = RwSignal::new(None::<Dialog>);
    let done = RwSignal::new(None::<String>);
    let fetch = move |cursor: Option<String>| {
        let (s, r) = (
            status_filter(PURCHASE_TABS, tab.get_untracked()),
            reference.get_untracked(),
        );
        async move {
            api::store::queue(s, &r, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    let reload = move || paged.reload(fetch(None));
    Effect::new(move |_| {
        tab.track();
        reload();
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    // A paid or cancelled purchase keeps its row (with its new status) and the waiting count
    // beside the section moves at once.
    let queues_changed = super::queues_changed();
    let replace = move |p: Purchase| {
        upsert(paged, p, |x| x.id, false);
        queues_changed();
    };
    let row = move |p: Purchase| {
        let (at, total, status) = (p.created_at, p.total_points, p.status);
        let price = (p.price_minor, p.currency.clone());
        let requested = status == PurchaseStatus::Requested;
        let (for_paid, for_cancel) = (p.clone(), p.clone());
        view! {
            <tr data-testid="purchase-row" data-status=status.as_str()>
                <td>
                    <div class="comp-cell">
                        <bdi class="ref-code strong" dir="ltr">{p.reference.clone()}</bdi>
                        <span class="muted small"><bdi dir="auto">{p.package_name.clone().unwrap_or_else(|| i18n::CUSTOM_AMOUNT.to_owned())}</bdi></span>
                    </div>
                </td>
                <td data-label=i18n::ADMIN_COL_USER>
                    <div class="comp-cell">
                        <bdi>{p.display_name.clone()}</bdi>
                        <bdi class="handle" dir="ltr">{format!("@{}", p.username)}</bdi>
                    </div>
                </td>
                <td class="num" data-label=i18n::POINTS_FIELD>{fmt.int(total)}</td>
                <td class="num nowrap" data-label=i18n::PRICE>{money(fmt, price.0, &price.1)}</td>
                <td class="nowrap" data-label=i18n::REQUESTED_AT>{fmt.date_time(&at)}</td>
                <td data-label=i18n::ADMIN_COL_STATUS>
                    <div class="comp-cell">
                        <span class=purchase_tag(status)>{status.label_ar()}</span>
                        {p.payment_reference.clone().map(|r| view! { <span class="muted small">{i18n::PAYMENT_REF_SHORT} " " <bdi dir="ltr">{r}</bdi></span> })}
                        {p.note.clone().map(|n| view! { <span class="muted small"><bdi dir="auto">{n}</bdi></span> })}
                    </div>
                </td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    {requested.then(|| view! {
                        <button type="button" class="btn btn-soft btn-sm" data-testid="mark-paid" on:click=move |_| dialog.set(Some(Dialog::Paid(for_paid.clone())))>
                            <Icon svg=icons::CHECK /><span>{i18n::MARK_PAID}</span>
                        </button>
                        <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| dialog.set(Some(Dialog::Cancel(for_cancel.clone())))>
                            <span>{i18n::CANCEL}</span>
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <div class="panel-head">
                <Tabs items=PURCHASE_TABS selected=tab label=i18n::PURCHASE_FILTERS prefix="pstatus" />
                <button type="button" class="btn btn-primary" data-testid="record-purchase" on:click=move |_| dialog.set(Some(Dialog::Record))>
                    <Icon svg=icons::PLUS /><span>{i18n::RECORD_PURCHASE}</span>
                </button>
            </div>
            {search_box("purchase-ref-q", i18n::SEARCH_REFERENCE, reference, reload)}
            {move || done.get().map(|m| view! { <Notice message=m kind="success" /> })}
            <div role="tabpanel" id="pstatus-panel" aria-labelledby=tab_id(PURCHASE_TABS, "pstatus", tab)>
                {move || admin_table(paged.data.get(), fmt, &PURCHASES_TABLE, move |item| row(item).into_any())}
                {load_more(paged, more)}
            </div>
        </div>
        {move || dialog.get().map(|d| {
            let form = FormState::new();
            let key = RwSignal::new(None::<String>);
            let close = Callback::new(move |_| dialog.set(None));
            match d {
                Dialog::Paid(p) => {
                    let id = p.id;
                    let text = i18n::mark_paid_text(&fmt.int(p.total_points), &p.username);
                    view! {
                        <ActionDialog title=i18n::mark_paid_title(&p.reference) text=text field=("payment_reference", i18n::PAYMENT_REFERENCE, false)
                            submit=i18n::CONFIRM_MARK_PAID form=form on_close=close
                            on_submit=Callback::new(move |reference: String| {
                                let req = MarkPaidRequest { payment_reference: reference };
                                if let Err(f) = req.validate() {
                                    form.invalid(f);
                                    return;
                                }
                                form.start();
                                let k = kit::action_key(key);
                                spawn_local(async move {
                                    match api::store::mark_paid(id, &req.payment_reference, &k).await {
                                        Ok(paid) => {
                                            done.set(Some(i18n::paid_done(&paid.purchase.reference, &fmt.int(paid.purchase.total_points), &fmt.int(paid.points_balance))));
                                            replace(paid.purchase);
                                            dialog.set(None);
                                        }
                                        Err(err) => {
                                            kit::forget_key_unless_retryable(key, &err);
                                            form.failed(&err, fmt);
                                        }
                                    }
                                    form.pending.set(false);
                                });
                            }) />
                    }
                    .into_any()
                }
                Dialog::Cancel(p) => {
                    let id = p.id;
                    view! {
                        <ActionDialog title=i18n::cancel_purchase_title(&p.reference) text=i18n::CANCEL_PURCHASE_TEXT
                            field=("note", i18n::NOTE_OPTIONAL, true) submit=i18n::CONFIRM_CANCEL_PURCHASE class="btn btn-danger" form=form on_close=close
                            on_submit=Callback::new(move |note: String| {
                                let req = CancelPurchaseRequest { note: (!note.is_empty()).then_some(note) };
                                if let Err(f) = req.validate() {
                                    form.invalid(f);
                                    return;
                                }
                                form.start();
                                spawn_local(async move {
                                    match api::store::cancel(id, &req).await {
                                        Ok(p) => {
                                            replace(p);
                                            dialog.set(None);
                                        }
                                        Err(err) => form.failed(&err, fmt),
                                    }
                                    form.pending.set(false);
                                });
                            }) />
                    }
                    .into_any()
                }
                Dialog::Record => view! {
                    <RecordDialog on_close=close on_done=Callback::new(move |m: String| {
                        done.set(Some(m));
                        dialog.set(None);
                        reload();
                    }) />
                }
                .into_any(),
            }
        })}
    }
}

/// A payment received directly: a user, a package or a custom amount, the payment reference.
#[component]
fn RecordDialog(on_close: Callback<()>, on_done: Callback<String>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let key = RwSignal::new(None::<String>);
    let packages = RwSignal::new(Vec::<Package>::new());
    spawn_local(async move {
        if let Ok(p) = api::store::admin_packages().await {
            packages.set(p.items);
        }
    });
    let username = RwSignal::new(String::new());
    let package_id = RwSignal::new(None::<i64>);
    let points = RwSignal::new(String::new());
    let bonus = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let currency = RwSignal::new("SAR".to_owned());
    let reference = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let custom = package_id.get_untracked().is_none();
        let cur = currency.get_untracked().trim().to_ascii_uppercase();
        let mut num = |field: &str, v: RwSignal<String>| {
            let t = v.get_untracked();
            if t.trim().is_empty() {
                return None;
            }
            let n = if field == "price_minor" {
                parse_money(&t, &cur)
            } else {
                kit::parse_int(&t)
            };
            if n.is_none() {
                errors.insert(field.to_owned(), i18n::ERR_WHOLE_NUMBER.to_owned());
            }
            n
        };
        let (p, b, m) = if custom {
            (
                num("points", points),
                num("bonus_points", bonus),
                num("price_minor", price),
            )
        } else {
            (None, None, None)
        };
        let note_text = note.get_untracked().trim().to_owned();
        let mut req = RecordPurchaseRequest {
            // Checked by the look-up below; 1 passes the id rule meanwhile.
            user_id: 1,
            package_id: package_id.get_untracked(),
            points: p,
            bonus_points: b,
            price_minor: m,
            currency: custom.then_some(cur),
            payment_reference: reference.get_untracked().trim().to_owned(),
            note: (!note_text.is_empty()).then_some(note_text),
        };
        if let Err(rule_errors) = req.validate() {
            for (k, v) in rule_errors {
                errors.entry(k).or_insert(v);
            }
        }
        let name = username.get_untracked();
        if name.trim().is_empty() {
            errors.insert("user_id".into(), i18n::USER_REQUIRED.into());
        }
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        form.start();
        let k = kit::action_key(key);
        spawn_local(async move {
            match find_user(&name).await {
                Ok(Some(u)) => {
                    req.user_id = u.id;
                    match api::store::record(&req, &k).await {
                        Ok(paid) => on_done.run(i18n::recorded_done(
                            &fmt.int(paid.purchase.total_points),
                            &paid.purchase.username,
                            &fmt.int(paid.points_balance),
                        )),
                        Err(err) => {
                            kit::forget_key_unless_retryable(key, &err);
                            form.failed(&err, fmt);
                        }
                    }
                }
                Ok(None) => form.invalid(
                    [("user_id".to_owned(), i18n::TRANSFER_NO_USER_ANY.to_owned())].into(),
                ),
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <Modal title=i18n::RECORD_PURCHASE on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="record-form">
                <p class="muted">{i18n::RECORD_TEXT}</p>
                <div class="form-grid">
                    <Field name="user_id" label=i18n::USERNAME_FIELD value=username form=form dir="ltr" autofocus=true />
                    <div class="field">
                        <label for="f-package_id">{i18n::PACKAGE}</label>
                        <div class="control">
                            <select id="f-package_id" on:change=move |ev| package_id.set(event_target_value(&ev).parse().ok())>
                                <option value="">{i18n::CUSTOM_AMOUNT}</option>
                                {move || packages.get().into_iter().map(|p| {
                                    let label = format!("{} — {} {}", p.name, fmt.int(p.total_points), i18n::POINTS_UNIT);
                                    view! { <option value=p.id.to_string()>{label}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <Show when=move || package_id.get().is_none()>
                        <Field name="points" label=i18n::POINTS_FIELD value=points form=form dir="ltr" inputmode="numeric" />
                        <Field name="bonus_points" label=i18n::BONUS_OPTIONAL value=bonus form=form dir="ltr" inputmode="numeric" />
                        <Field name="price_minor" label=i18n::PRICE_PAID value=price form=form dir="ltr" inputmode="decimal" />
                        <Field name="currency" label=i18n::CURRENCY_FIELD value=currency form=form dir="ltr" />
                    </Show>
                    <div class="span-2"><Field name="payment_reference" label=i18n::PAYMENT_REFERENCE value=reference form=form dir="auto" /></div>
                    <div class="span-2"><TextArea name="note" label=i18n::NOTE_OPTIONAL value=note form=form rows=2 /></div>
                </div>
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=i18n::RECORD_SUBMIT pending_label=i18n::SAVING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}
