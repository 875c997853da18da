//! Windows builds get the program's icon and version information (shown in Explorer's file
//! properties) from a resource script compiled with MinGW's `windres`. Other targets need
//! nothing here.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icon/sverka.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let windows = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows");
    let gnu = std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if !windows {
        return;
    }
    if !gnu {
        println!(
            "cargo:warning=sverka: icon and version information are built for the GNU target only"
        );
        return;
    }
    if let Err(e) = embed_resources() {
        // A build without them still works; scripts/dist checks that they are there.
        println!("cargo:warning=sverka: no icon or version information: {e}");
    }
}

fn embed_resources() -> Result<(), String> {
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let version = std::env::var("CARGO_PKG_VERSION").map_err(|e| e.to_string())?;
    let mut parts: Vec<u32> = version
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse().ok())
        .take(3)
        .collect();
    parts.resize(4, 0);
    let numeric = parts
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let icon = root.join("assets/icon/sverka.ico");
    // windres reads the script as UTF-8 (codepage 65001); paths use forward slashes.
    let rc = format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {numeric}
PRODUCTVERSION {numeric}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "041904B0"
    BEGIN
      VALUE "CompanyName", "sverka"
      VALUE "FileDescription", "sverka — сверка карточек «Сетевого города» с Госуслугами"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "sverka"
      VALUE "LegalCopyright", "MIT License"
      VALUE "OriginalFilename", "sverka.exe"
      VALUE "ProductName", "sverka"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x419, 1200
  END
END
"#,
        icon = icon.display().to_string().replace('\\', "/"),
    );
    let rc_path = out.join("sverka.rc");
    std::fs::write(&rc_path, rc).map_err(|e| e.to_string())?;
    let obj = out.join("sverka-resources.o");
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".into());
    let status = Command::new(&windres)
        .arg("--input")
        .arg(&rc_path)
        .arg("--output-format=coff")
        .arg("--output")
        .arg(&obj)
        .status()
        .map_err(|e| format!("{windres}: {e}"))?;
    if !status.success() {
        return Err(format!("{windres} failed ({status})"));
    }
    // Both programs carry the icon and the version.
    println!("cargo:rustc-link-arg-bins={}", obj.display());
    Ok(())
}
