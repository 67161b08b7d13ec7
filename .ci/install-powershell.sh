#!/usr/bin/env bash
# Installs what the Pester suite needs on a bare machine: PowerShell 7.6.10 as a dotnet global tool
# (7.7.0, the default without --version, fails here) and Pester 5.7.1 from NuGet. Pester is not a
# library: a throwaway project downloads the package, and its tools/ folder is the module, copied
# into the user's module path where `Get-Module -ListAvailable` finds it.
set -euo pipefail
pwsh_version=7.6.10
pester_version=5.7.1
tools_dir="$HOME/.dotnet/tools"
export PATH="$PATH:$tools_dir"

if ! pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -qx "$pwsh_version"; then
  dotnet tool uninstall --global PowerShell >/dev/null 2>&1 || true
  dotnet tool install --global PowerShell --version "$pwsh_version" >/dev/null
fi

modules_dir="${XDG_DATA_HOME:-$HOME/.local/share}/powershell/Modules/Pester/$pester_version"
if [ ! -f "$modules_dir/Pester.psd1" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  cat > "$scratch/pester-download.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$scratch/pester-download.csproj" --packages "$scratch/packages" -nologo >/dev/null
  mkdir -p "$modules_dir"
  cp -R "$scratch/packages/pester/$pester_version/tools/." "$modules_dir/"
fi
pwsh -NoProfile -Command "Import-Module Pester -RequiredVersion $pester_version; 'pwsh ' + \$PSVersionTable.PSVersion + ', Pester ' + (Get-Module Pester).Version"
