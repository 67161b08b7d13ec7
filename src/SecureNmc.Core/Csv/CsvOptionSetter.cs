using System;
using System.Reflection;

namespace SecureNmc.Core.Csv
{
    /// <summary>
    /// Sets CsvHelper's option properties by reflection instead of with object initialisers.
    /// CsvHelper 34's options have init-only setters, and an init setter's signature names the
    /// assembly that defines IsExternalInit: CsvHelper itself in its netstandard2.0 build,
    /// System.Private.CoreLib in its net8/net10 builds. Code compiled against one build then fails
    /// with MissingMethodException on the other — which is what happens whenever the process has
    /// loaded the other build (our .NET 10 test hosts, or a pwsh session where another module loaded
    /// CsvHelper first). A reflection set binds by name and works with every build.
    /// </summary>
    internal static class CsvOptionSetter
    {
        public static T Set<T>(this T options, string property, object? value) where T : class
        {
            var info = typeof(T).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new MissingMemberException(typeof(T).FullName, property);
            info.SetValue(options, value);
            return options;
        }
    }
}
