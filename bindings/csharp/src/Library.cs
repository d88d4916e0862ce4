namespace RemoteIt
{
    /// <summary>Facts about the native libremoteit this binding runs on.</summary>
    public static class Library
    {
        static Library()
        {
            Loader.EnsureLoaded();
        }

        /// <summary>The native library's version (<c>remoteit_version()</c>), e.g. <c>0.2.0</c>.</summary>
        public static string Version
        {
            get { return Loader.Version; }
        }
    }
}
