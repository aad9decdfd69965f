<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Words Qt 6 shows in its own dialogs that qtbase_zh_CN.qm leaves in English (or says
     oddly). Loaded after Qt's catalogue, so asked first. Rebuild the .qm after a change:
     pyside6-lrelease resources/translations/qt_extra_zh_CN.ts (tests/test_ui_appearance.py
     checks the two agree). -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Look in:</source>
        <translation>查找范围：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
    <message>
        <source>Files of type:</source>
        <translation>文件类型：</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
</context>
</TS>
