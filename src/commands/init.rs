//! `os2gov init`: a new working folder with a commented os2gov.toml, a draft
//! styringsmodel, the inbox and a blank projektark beside it. Never overwrites anything.

use crate::commands::outcome::Outcome;
use crate::commands::template::write_template;
use crate::config::request::Init;
use crate::config::settings::{CONFIG_TEMPLATE, Settings};
use crate::error::{Error, Result};
use crate::load::styringsmodel::load_rules;
use crate::sys::fs;
use crate::text::t;

/// The blank projektark `init` writes beside the inbox.
pub const BLANK_TEMPLATE: &str = "projektark-skabelon.xlsx";

pub fn init(settings: &Settings, request: &Init) -> Result<Outcome> {
    let dir = request.dir.as_path();
    let d = settings.terminal.shown(dir);
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, t!("Kunne ikke læse mappen", "Could not read the folder"), e))?;
        if !dir.is_dir() || entries.next().is_some() {
            return Err(Error::Usage(t!(
                "Mappen {d} findes og er ikke tom. os2gov init overskriver aldrig noget; vælg en ny eller tom mappe.",
                "The folder {d} exists and is not empty. os2gov init never overwrites anything; choose a new or empty folder."
            )));
        }
    }
    let inbox = dir.join("indsendt");
    std::fs::create_dir_all(&inbox)
        .map_err(|e| Error::io(&inbox, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    fs::write_atomic(&dir.join(crate::config::settings::CONFIG_FILE), CONFIG_TEMPLATE.as_bytes())?;
    let model_path = dir.join("styringsmodel.xlsx");
    crate::render::styringsmodel::write_model(&model_path, &crate::model::defaults::draft_model(settings.as_of))?;
    // Read the model back, so the blank projektark is built exactly as `template` would.
    let bytes = fs::read(&model_path)?;
    let loaded =
        load_rules(&bytes, settings.as_of).map_err(|findings| Error::Rules { file: model_path.clone(), findings })?;
    // Beside the inbox, not in it: the inbox holds what projects sent in.
    let blank = dir.join(BLANK_TEMPLATE);
    write_template(&loaded.rules, None, &blank)?;
    // The secretariat's own record, empty: a new folder has nothing to migrate.
    crate::render::register::write_register(
        &dir.join(crate::model::register::REGISTER_FILE),
        &loaded.rules,
        &crate::model::register::Additions::default(),
    )?;
    fs::sync_folder(dir)?;
    let d = settings.terminal.shown(dir);
    // The next commands, to be typed where the user stands: inside the folder they need
    // no --config.
    let cd = if dir == settings.terminal.cwd {
        String::new()
    } else {
        format!("cd {} && ", crate::config::settings::shell_word(&d))
    };
    let rules_cmd = "os2gov rules";
    let text = t!(
        "Arbejdsmappen {d} er oprettet:\n  os2gov.toml                indstillinger (med forklaringer)\n  styringsmodel.xlsx         reglerne: niveauer, krav, faser, overgange, mødedatoer og modtagere – en kladde, som bestyrelsen skal godkende\n  sekretariat.xlsx           sekretariatets register: niveauplaceringer og vurderinger af krav\n  projektark-skabelon.xlsx   et tomt projektark at sende til projektlederne\n  indsendt/                  her lægges de udfyldte projektark\n\nNæste skridt:\n  1. Ret mødedatoerne og modtagerne i styringsmodel.xlsx (fanerne Bestyrelsesmøder og Modtagere): adresserne der er eksempler (…@….example).\n  2. Ret afsenderen og mailserveren i os2gov.toml ([mail] from og [smtp] host): de er også eksempler.\n  3. Send projektark-skabelon.xlsx til projektlederne, og læg de udfyldte ark i indsendt/.\n  4. Kontrollér reglerne:  {cd}{rules_cmd}  (den advarer, så længe eksemplerne står der)\n",
        "The working folder {d} has been created:\n  os2gov.toml                settings (with explanations)\n  styringsmodel.xlsx         the rules: levels, requirements, phases, transitions, meeting dates and recipients – a draft for the board to approve\n  sekretariat.xlsx           the secretariat's register: level placements and assessments of requirements\n  projektark-skabelon.xlsx   a blank projektark to send to the project leads\n  indsendt/                  the filled-in projektark go here\n\nNext steps:\n  1. Fix the meeting dates and recipients in styringsmodel.xlsx (the Bestyrelsesmøder and Modtagere sheets): the addresses there are examples (…@….example).\n  2. Fix the sender and the mail server in os2gov.toml ([mail] from and [smtp] host): they are examples too.\n  3. Send projektark-skabelon.xlsx to the project leads, and put the filled-in workbooks in indsendt/.\n  4. Check the rules:  {cd}{rules_cmd}  (it warns while the examples are there)\n"
    );
    if settings.terminal.quiet() {
        let line = t!("Arbejdsmappen {d} er oprettet.\n", "The working folder {d} has been created.\n");
        return Ok(Outcome::ok(line.get(settings.lang).to_string()));
    }
    Ok(Outcome::ok(text.get(settings.lang).to_string()))
}
