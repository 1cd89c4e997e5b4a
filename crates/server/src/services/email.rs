//! Emails people receive: Arabic, right-to-left HTML with a plain-text twin, written to the
//! outbox (`email_outbox`) in the caller's transaction, so a message exists exactly when what
//! caused it was committed. `services::mailer` delivers them.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::entities::email_outbox;
use crate::error::ApiError;

/// A message ready for the outbox.
pub struct Mail {
    pub user_id: Option<i64>,
    pub to: String,
    pub kind: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queues `mail` for the sender; returns the outbox id.
pub async fn queue(conn: &impl ConnectionTrait, mail: Mail) -> Result<i64, ApiError> {
    let now = super::now();
    let row = email_outbox::ActiveModel {
        user_id: Set(mail.user_id),
        recipient: Set(mail.to),
        subject: Set(mail.subject),
        body_text: Set(mail.text),
        body_html: Set(mail.html),
        kind: Set(mail.kind.to_owned()),
        status: Set("queued".into()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Builds the text and HTML parts side by side, so they always say the same thing.
struct Compose {
    subject: String,
    text: String,
    html: String,
}

impl Compose {
    fn new(subject: &str, greeting_name: &str) -> Self {
        let mut c = Self {
            subject: subject.to_owned(),
            text: String::new(),
            html: String::new(),
        };
        c.text.push_str(&format!("مرحبًا {greeting_name}،\n\n"));
        c.html.push_str(&format!(
            "<p>مرحبًا <bdi>{}</bdi>،</p>\n",
            escape(greeting_name)
        ));
        c
    }

    fn para(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self.text.push_str("\n\n");
        self.html.push_str(&format!(
            "<p style=\"margin:0 0 16px\">{}</p>\n",
            escape(text)
        ));
        self
    }

    /// A call to action: a button in HTML, the bare link on its own line in text.
    fn button(mut self, label: &str, url: &str) -> Self {
        self.text.push_str(&format!("{label}:\n{url}\n\n"));
        self.html.push_str(&format!(
            "<p style=\"margin:24px 0\"><a href=\"{url}\" style=\"background:#0f766e;color:#ffffff;\
             padding:12px 24px;border-radius:8px;text-decoration:none;font-weight:bold;\
             display:inline-block\">{label}</a></p>\n<p style=\"margin:0 0 16px;font-size:13px;\
             color:#555\">إن لم يعمل الزر فانسخ هذا الرابط إلى المتصفح:<br><span dir=\"ltr\" \
             style=\"word-break:break-all\">{url}</span></p>\n",
            url = escape(url),
            label = escape(label),
        ));
        self
    }

    fn finish(self, user_id: Option<i64>, to: &str, kind: &'static str) -> Mail {
        let footer = "— فريق مسابقاتي\nهذه رسالة آلية؛ لا تردّ عليها.";
        let text = format!("{}{footer}\n", self.text);
        let html = format!(
            "<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width\">\n<title>{subject}</title>\n\
             </head>\n<body dir=\"rtl\" style=\"margin:0;padding:24px;background:#f4f4f5;\
             font-family:Tahoma,Arial,sans-serif;font-size:16px;line-height:1.7;color:#18181b;\
             text-align:right\">\n<div style=\"max-width:560px;margin:0 auto;background:#ffffff;\
             border-radius:12px;padding:24px\">\n<h1 style=\"font-size:20px;margin:0 0 16px\">\
             {subject}</h1>\n{body}<p style=\"margin:24px 0 0;font-size:13px;color:#555\">\
             — فريق مسابقاتي<br>هذه رسالة آلية؛ لا تردّ عليها.</p>\n</div>\n</body>\n</html>\n",
            subject = escape(&self.subject),
            body = self.html,
        );
        Mail {
            user_id,
            to: to.to_owned(),
            kind,
            subject: self.subject,
            text,
            html,
        }
    }
}

/// Escapes text for HTML element content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The link to set a new password.
pub fn password_reset(
    user_id: i64,
    to: &str,
    display_name: &str,
    link: &str,
    minutes: i64,
) -> Mail {
    Compose::new("إعادة تعيين كلمة المرور في مسابقاتي", display_name)
        .para("طلب أحدهم إعادة تعيين كلمة المرور لحسابك في مسابقاتي. إن كنت أنت فافتح الرابط التالي واختر كلمة مرور جديدة.")
        .button("تعيين كلمة مرور جديدة", link)
        .para(&format!(
            "الرابط صالح لمدة {minutes} دقيقة ولمرة واحدة فقط. إن لم تطلب ذلك فتجاهل هذه الرسالة؛ كلمة مرورك الحالية باقية كما هي."
        ))
        .finish(Some(user_id), to, "password_reset")
}

/// Tells the owner their password was changed through a reset link.
pub fn password_changed(user_id: i64, to: &str, display_name: &str, ip: &str) -> Mail {
    Compose::new("تغيّرت كلمة مرور حسابك في مسابقاتي", display_name)
        .para(&format!(
            "عُيّنت كلمة مرور جديدة لحسابك عبر رابط إعادة التعيين (من العنوان {ip})، وأُنهيت كل جلسات الدخول على كل الأجهزة."
        ))
        .para("إن لم تفعل ذلك بنفسك فاطلب رابطًا جديدًا من صفحة الدخول فورًا وتواصل مع إدارة المنصة.")
        .finish(Some(user_id), to, "password_changed")
}

/// The link that confirms an email address (after registration, a resend or a change).
pub fn verify_email(user_id: i64, to: &str, display_name: &str, link: &str, hours: i64) -> Mail {
    Compose::new("أكّد بريدك الإلكتروني في مسابقاتي", display_name)
        .para("افتح الرابط التالي لتأكيد أن هذا البريد لك. بعد التأكيد يمكنك الانضمام إلى المسابقات المدفوعة واستبدال المكافآت وتحويل النقاط.")
        .button("تأكيد البريد الإلكتروني", link)
        .para(&format!(
            "الرابط صالح لمدة {hours} ساعة ولمرة واحدة فقط. إن لم تنشئ حسابًا أو لم تغيّر بريدك في مسابقاتي فتجاهل هذه الرسالة."
        ))
        .finish(Some(user_id), to, "verify_email")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_rtl_arabic_html_with_the_same_link_in_text() {
        let mail = password_reset(
            1,
            "a@example.com",
            "<أحمد>",
            "http://x/reset-password?token=ab&c",
            30,
        );
        assert!(mail.html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(mail.html.contains("&lt;أحمد&gt;"), "names are escaped");
        assert!(mail.html.contains("token=ab&amp;c"));
        assert!(mail.text.contains("http://x/reset-password?token=ab&c"));
        assert!(mail.text.contains("30 دقيقة"));
        assert_eq!(mail.kind, "password_reset");
    }

    #[test]
    fn the_verification_message_carries_its_link_in_both_parts() {
        let mail = verify_email(
            2,
            "b@example.com",
            "سارة",
            "http://x/verify-email?token=t1",
            24,
        );
        assert!(mail.html.contains("dir=\"rtl\""));
        assert!(mail.html.contains("http://x/verify-email?token=t1"));
        assert!(mail.text.contains("http://x/verify-email?token=t1"));
        assert!(mail.text.contains("24 ساعة"));
        assert_eq!(mail.kind, "verify_email");
    }
}
