using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) has no binding redirects for a module: when
    /// Core's dependencies ask for different versions of the same helper assembly (System.Memory,
    /// System.Runtime.CompilerServices.Unsafe...), the load fails unless someone answers. This
    /// answers with the copy shipped in the module folder, and only for files that are there.
    /// On PowerShell 7 the runtime already provides those assemblies and this rarely fires.
    /// </summary>
    public sealed class ModuleAssemblyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory =
            Path.GetDirectoryName(typeof(ModuleAssemblyResolver).Assembly.Location) ?? "";

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var simpleName = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(simpleName) || ModuleDirectory.Length == 0) return null;
            var path = Path.Combine(ModuleDirectory, simpleName + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
