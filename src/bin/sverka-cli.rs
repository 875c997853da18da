//! `sverka-cli`: the command line alone (`check`, `match`, `fix`, `apply`), as a console
//! program. On Windows `sverka.exe` is a windowed program, for which cmd and PowerShell do not
//! wait and whose exit code they do not see; scripts and scheduled tasks run `sverka-cli.exe`.
//! Without a command it prints the usage.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    sverka::allocator::return_freed_memory_at_once();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        println!("{}", sverka::cli::USAGE);
        std::process::exit(sverka::cli::EXIT_BAD_INPUT);
    }
    std::process::exit(sverka::cli::run(&args));
}
